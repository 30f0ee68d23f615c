import { useState } from 'react';

/**
 * Whether `flag` has ever been true in this component's life. A dialog whose code is fetched when it is first
 * opened mounts then and stays mounted: closing it with the dialog's own `close()` gives focus back to the
 * control that opened it, which unmounting it would not.
 */
export function useOnceTrue(flag: boolean): boolean {
  const [seen, setSeen] = useState(flag);
  if (flag && !seen) setSeen(true);
  return seen || flag;
}
