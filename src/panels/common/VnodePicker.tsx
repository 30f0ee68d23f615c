import { memo, useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab, useLabStore } from '../../store/context';
import type { LabState } from '../../store/store';
import { selectSelectedVnode } from '../../store/selectors';

/** Value of the "All vnodes" option (vnode names are never empty). */
const ALL = '';

const selectVnodeNames = (s: LabState): string[] => s.snapshot?.vnodes.map((v) => v.name) ?? [];

/** Names of every vnode, in scenario order; stable while they stay the same. */
export function useVnodeNames(): string[] {
  return useLab(useShallow(selectVnodeNames));
}

/**
 * The vnodes the page panels show: the selected one, or all of them when
 * "All vnodes" is chosen (selectedVnode null) or the selection is stale.
 */
export function useShownVnodes(): { names: string[]; all: boolean } {
  const names = useVnodeNames();
  const selected = useLab(selectSelectedVnode);
  const all = selected === null || !names.includes(selected);
  return { names: all ? names : [selected], all };
}

/**
 * The "Vnode" select shared by the page panels; every copy reads and sets the
 * store's selectedVnode, so they move together.
 */
// Memoised (no props: the panels around it re-render on every step, it only when the vnodes or the choice change).
export const VnodePicker = memo(function VnodePicker() {
  const names = useVnodeNames();
  const selected = useLab(selectSelectedVnode);
  const value = selected !== null && names.includes(selected) ? selected : ALL;
  const store = useLabStore();
  const id = useId();
  // A label beside (not around) the select: the name stays "Vnode" alone.
  return (
    <span className="vnode-picker">
      <label htmlFor={id}>Vnode</label>
      <select
        id={id}
        value={value}
        disabled={names.length === 0}
        onChange={(e) => store.getState().selectVnode(e.target.value === ALL ? null : e.target.value)}
      >
        <option value={ALL}>All vnodes</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </span>
  );
});
