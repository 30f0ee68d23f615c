/**
 * The packed timeline (protocol/timeline.ts): an open's replay packs each step's seed lines as they come
 * (TrailPacker), past its first sizes, and a step's trail and the packed whole read back what was added.
 */
import { describe, expect, it } from 'vitest';
import type { TrailView } from '../src/protocol/snapshot';
import { packTimeline, TrailPacker, unpackTimeline } from '../src/protocol/timeline';

const trails = (n: number, wide: boolean): TrailView[] =>
  Array.from({ length: n }, (_, i) => ({
    lines: Array.from({ length: i % 7 }, (_, j) => (wide && i === n - 1 && j === 0 ? 70_000 : 100 + i + j)),
    omitted: i % 5 === 0 ? i : 0,
  }));

describe('a packed timeline', () => {
  for (const wide of [false, true])
    it(`packs trails added one by one past its first sizes, ${wide ? 'a line past 16 bits' : '16 bits a line'}`, () => {
      const list = trails(300, wide);
      const labels = list.map((_, i) => `step ${i + 1}`);
      const packer = new TrailPacker(2, 3);
      for (const t of list) packer.add(t.lines, t.omitted);
      list.forEach((t, i) => expect(packer.trail(i)).toEqual(t));
      const packed = packer.finish(labels);
      expect(packed.lines).toBeInstanceOf(wide ? Int32Array : Uint16Array);
      expect(packed).toEqual(packTimeline(labels, (i) => list[i]!));
      const entries = unpackTimeline(0, packed);
      expect(entries.map((e) => e.trail)).toEqual(list);
      expect(entries.map((e) => e.label)).toEqual(labels);
    });

  it('packs no entries', () => {
    expect(new TrailPacker(0, 0).finish([])).toEqual({
      labels: [],
      lines: new Uint16Array(0),
      ends: new Int32Array(0),
      omitted: new Int32Array(0),
    });
  });
});
