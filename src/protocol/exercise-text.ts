/**
 * An exercise's machine and steps in words, the same in the lab's exercise pane and in `npm run exercise`: a
 * learner who has the tool's printout and the lab side by side must not read `behind=1` in one and `behind=0x1`
 * in the other.
 */
import { HEX_ARGS } from './format';
import type { Scenario, Step } from './scenario';

/** Byte offsets and lengths in hex, as the Threads panel and the Timeline write them; counts in decimal. */
function argText(key: string, v: unknown): string {
  if (typeof v === 'number') return HEX_ARGS.has(key) ? `0x${v.toString(16)}` : String(v);
  if (Array.isArray(v)) return v.length ? v.join('|') : 'none';
  return String(v);
}

/** `spawn t2: fault vnode=vn1 offset=0x1000 access=write`, `run t2`, `complete 1 ok`. */
export function exerciseStepText(step: Step): string {
  if ('spawn' in step) {
    const args = Object.entries(step.args)
      .map(([k, v]) => `${k}=${argText(k, v)}`)
      .join(' ');
    return `spawn ${step.spawn}: ${step.call} ${args}`;
  }
  if ('complete' in step) return `complete ${step.complete} ${step.result}`;
  return 'run' in step ? `run ${step.run}` : `step ${step.step}`;
}

/** `Machine: 14 free pages; vn1 of 26555 bytes; mount m1 with 4096-byte blocks; pbufs 129, …` (with its period). */
export function exerciseMachineText(s: Scenario): string {
  return (
    `Machine: ${s.machine?.physPages ?? 64} free pages; ${s.vnodes.map((v) => `${v.name} of ${v.size} bytes`).join(', ')}` +
    `${(s.mounts ?? []).map((m) => `; mount ${m.name} with ${m.iosize ?? 4096}-byte blocks`).join('')}` +
    // FreeBSD's questions may ask the pbuf counters, and pageout_free_min decides when a pageout goes sync.
    (s.pager === 'freebsd'
      ? `; pbufs ${s.machine?.pbufs ?? 129}, async pbufs ${s.machine?.asyncPbufs ?? 128},` +
        ` pageout_free_min ${s.machine?.pageoutFreeMin ?? 34}.`
      : '.')
  );
}
