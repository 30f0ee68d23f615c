/**
 * A small seeded PRNG (mulberry32) for exercises: 32-bit integer arithmetic
 * only (Math.imul, shifts), so the same seed gives the same draws on every
 * machine and JavaScript engine. Never Math.random.
 */
export class Prng {
  private state: number;

  /** `seed`: an integer 0 .. 2^32 - 1. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (n <= 0) throw new Error(`Prng.int(${n})`);
    return this.next() % n;
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** True `num` times in `den`. */
  chance(num: number, den: number): boolean {
    return this.int(den) < num;
  }

  /** Pick by integer weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((a, [, w]) => a + w, 0);
    let r = this.int(total);
    for (const [item, w] of items) {
      if (r < w) return item;
      r -= w;
    }
    return items.at(-1)![0];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
