import { describe, expect, it } from 'vitest';
import { keepEqual } from '../src/protocol/keep-equal';

describe('keepEqual', () => {
  it('gives back the old value when the new one is equal, at any depth', () => {
    const before = { a: [1, { b: 'x' }], c: { d: null } };
    const after = { a: [1, { b: 'x' }], c: { d: null } };
    expect(keepEqual(before, after)).toBe(before);
  });

  it('shares the unchanged parts of a changed value and takes the changed ones', () => {
    const before = { io: [{ id: 1 }], objects: { big: { flags: 3 } }, counters: [] as number[] };
    const after = { io: [{ id: 1 }, { id: 2 }], objects: { big: { flags: 3 } }, counters: [] as number[] };
    const kept = keepEqual(before, after);
    expect(kept).not.toBe(before);
    expect(kept).toEqual(after);
    expect(kept.objects).toBe(before.objects);
    expect(kept.counters).toBe(before.counters);
    expect(kept.io).not.toBe(before.io);
    expect(kept.io[0]).toBe(before.io[0]);
    expect(kept.io[1]).toBe(after.io[1]);
  });

  it('notices a key that came or went, a shorter list, and a change of kind', () => {
    expect(keepEqual({ a: 1 } as Record<string, number>, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
    expect(keepEqual({ a: 1, b: 2 } as Record<string, number>, { a: 1 })).toEqual({ a: 1 });
    expect(keepEqual([1, 2, 3], [1, 2])).toEqual([1, 2]);
    expect(keepEqual<unknown>({ 0: 'x' }, ['x'])).toEqual(['x']);
    expect(keepEqual<unknown>(null, { a: 1 })).toEqual({ a: 1 });
    expect(keepEqual<unknown>({ a: 1 }, null)).toBeNull();
  });

  it('changes neither argument', () => {
    const before = Object.freeze({ a: Object.freeze([1]) });
    const after = Object.freeze({ a: Object.freeze([1]), b: 2 });
    expect(keepEqual<object>(before, after)).toEqual({ a: [1], b: 2 });
    expect(before).toEqual({ a: [1] });
  });
});
