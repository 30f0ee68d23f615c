/**
 * What a run left behind once every thread is done: locks still held, then what the pager's `leaks` hook
 * reports (references, I/O counts, busy pages). The explorer reports each as a leak finding, and the lab's
 * snapshot carries them, so a leak opened from the explorer is said in the lab as a panic or a hang is.
 */
import type { Kernel } from './kernel/kernel';
import type { PagerModel } from './model';

export function leaksOf(k: Kernel, model: PagerModel): string[] {
  const out: string[] = [];
  for (const [name, lock] of Object.entries(k.s.locks)) {
    if (lock.owner !== null) out.push(`${name} still held by ${lock.owner}`);
    if (lock.shared.length > 0) out.push(`${name} still shared by ${lock.shared.join(', ')}`);
  }
  if (model.leaks) out.push(...model.leaks(k));
  return out;
}

/** Every thread is done, none panicked, nothing is in flight: the state leaks are looked for in. */
export function allDone(k: Kernel): boolean {
  const s = k.s;
  return !s.panic && s.io.length === 0 && s.threads.length > 0 && s.threads.every((t) => t.status === 'done');
}
