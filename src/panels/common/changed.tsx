/**
 * Marking what the last step changed. A changed element gets the `changed`
 * class (a marker-pen background and a dotted underline, so colour is not the
 * only sign) and is described, for screen readers, by one hidden note per
 * panel, "changed by the last step", so its own text stays as it was.
 */
import { useId, useMemo } from 'react';

export interface ChangedNote {
  /** Props for a changed element: the class and the description. */
  mark(changed: boolean, className?: string): { className?: string; 'aria-describedby'?: string };
  /** The hidden note, rendered once in the panel. */
  note: React.ReactElement;
}

export function useChangedNote(): ChangedNote {
  const id = `${useId()}-changed`;
  // Stable per panel, so memoized rows and cards that take `mark` do not re-render for it.
  return useMemo(() => markerFor(id), [id]);
}

function markerFor(id: string): ChangedNote {
  return {
    mark: (changed, className) =>
      changed
        ? { className: className ? `${className} changed` : 'changed', 'aria-describedby': id }
        : className
          ? { className }
          : {},
    note: (
      <span id={id} hidden>
        changed by the last step
      </span>
    ),
  };
}
