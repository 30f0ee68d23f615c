/**
 * Text colour for a label drawn on a thread's colour: black or white,
 * whichever contrasts more (WCAG relative luminance), so a tag on yellow
 * (#F0E442) stays readable as well as one on blue.
 */
function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return 0;
  const n = parseInt(m[1]!, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function inkOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background);
  // Contrast against white is 1.05 / (l + 0.05), against black (l + 0.05) / 0.05.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#000000';
}
