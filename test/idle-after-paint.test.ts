import { describe, expect, it } from 'vitest';
import {
  IDLE_TIMEOUT_MS,
  NO_IDLE_DELAY_MS,
  idleAfterPaint,
  type FrameScheduler,
} from '../src/panels/common/idleAfterPaint';

/** A scheduler whose callbacks run only when the test says which kind comes next. */
function fakeScheduler(withIdle: boolean) {
  const queued = new Map<number, { kind: string; run: () => void; ms?: number }>();
  let next = 1;
  const add = (kind: string, run: () => void, ms?: number) => {
    queued.set(next, { kind, run, ms });
    return next++;
  };
  const scheduler: FrameScheduler = {
    requestAnimationFrame: (f) => add('frame', f),
    cancelAnimationFrame: (h) => void queued.delete(h),
    setTimeout: (f, ms) => add('timer', f, ms),
    clearTimeout: (h) => void queued.delete(h),
    ...(withIdle
      ? {
          requestIdleCallback: (f, options) => add('idle', f, options.timeout),
          cancelIdleCallback: (h: number) => void queued.delete(h),
        }
      : {}),
  };
  /** Run the one queued callback of `kind` (it must be the only thing queued), returning its delay. */
  const fire = (kind: string) => {
    const entries = [...queued];
    expect(entries.map(([, e]) => e.kind)).toEqual([kind]);
    const [handle, entry] = entries[0]!;
    queued.delete(handle);
    entry.run();
    return entry.ms;
  };
  return { scheduler, fire, pending: () => [...queued.values()].map((e) => e.kind) };
}

describe('idleAfterPaint', () => {
  it('waits for a frame, a task after it, then an idle period', () => {
    const fake = fakeScheduler(true);
    let ran = 0;
    idleAfterPaint(() => ran++, fake.scheduler);
    expect(fake.fire('frame')).toBeUndefined();
    expect(ran).toBe(0);
    expect(fake.fire('timer')).toBe(0);
    expect(ran).toBe(0);
    expect(fake.fire('idle')).toBe(IDLE_TIMEOUT_MS);
    expect(ran).toBe(1);
    expect(fake.pending()).toEqual([]);
  });

  it('stands a timer in for the idle period where the browser has no idle callbacks', () => {
    const fake = fakeScheduler(false);
    let ran = 0;
    idleAfterPaint(() => ran++, fake.scheduler);
    fake.fire('frame');
    fake.fire('timer');
    expect(ran).toBe(0);
    expect(fake.fire('timer')).toBe(NO_IDLE_DELAY_MS);
    expect(ran).toBe(1);
  });

  it('is cancelled at whichever stage it has reached', () => {
    for (const stages of [[], ['frame'], ['frame', 'timer']]) {
      const fake = fakeScheduler(true);
      let ran = 0;
      const cancel = idleAfterPaint(() => ran++, fake.scheduler);
      for (const kind of stages) fake.fire(kind);
      cancel();
      expect(fake.pending()).toEqual([]);
      expect(ran).toBe(0);
    }
  });
});
