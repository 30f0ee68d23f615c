/**
 * The compare view's two labs, one per kernel, each with its own worker and
 * store. Made the first time the view opens and kept for the page's life, so
 * going back to the lab and returning costs nothing (two idle workers) and
 * React's development double effects cannot start a third.
 */
import { createLab, simWorker, type Lab } from '../../client/sim-client';
import type { Kernel } from './pairs';

let labs: Readonly<Record<Kernel, Lab>> | null = null;

export function compareLabs(): Readonly<Record<Kernel, Lab>> {
  labs ??= { openbsd: createLab(simWorker), freebsd: createLab(simWorker) };
  return labs;
}
