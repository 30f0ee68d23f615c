/** Formatting shared by the engine's words (timeline labels, who can unblock) and the panels. */

/** 4096 -> "0x1000"; `pad` zero-pads the digits. */
export function hex(n: number, pad = 0): string {
  return `0x${n.toString(16).padStart(pad, '0')}`;
}
