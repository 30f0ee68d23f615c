import { useLayoutEffect } from 'react';
import { useLab } from '../store/context';
import { PERF, perfMark } from './marks';

const selectSnapshot = (s: { snapshot: unknown }) => s.snapshot;

function Probe() {
  const snapshot = useLab(selectSnapshot);
  // The last child of the app: its layout effect runs after every panel's in the same commit.
  useLayoutEffect(() => perfMark('react:commit'), [snapshot]);
  return null;
}

/** With `?perf=1`, marks `react:commit` when a new snapshot has been committed to the DOM; else nothing. */
export function CommitProbe() {
  return PERF ? <Probe /> : null;
}
