/** What a disk request's cells say (pure). */
import type { CellValue } from '../../protocol/snapshot';
import { hex } from '../format';

/**
 * The pages a transfer maps: byte offsets in hex (`0x0, 0x1000`), or, for a pager that keys pages by
 * pindex, runs of pindexes (`pindex 0–7`, `pindex 0–1, 4`). An offset the worker could not name is `?`.
 */
export function pagesText(offsets: readonly number[], key: 'offset' | 'pindex'): string {
  if (key === 'offset') return offsets.map((o) => (o < 0 ? '?' : hex(o))).join(', ');
  const parts: string[] = [];
  let run: [number, number] | null = null;
  const flush = () => {
    if (run) parts.push(run[0] === run[1] ? String(run[0]) : `${run[0]}–${run[1]}`);
    run = null;
  };
  for (const o of offsets) {
    if (o < 0) {
      flush();
      parts.push('?');
      continue;
    }
    const p = o / 4096;
    if (run && p === run[1] + 1) run[1] = p;
    else {
      flush();
      run = [p, p];
    }
  }
  flush();
  return parts.length ? `pindex ${parts.join(', ')}` : '';
}

/** An extra field (FreeBSD's blkno, async): null is "—" (VOP_READ/VOP_WRITE have no blkno), booleans yes/no. */
export function fieldText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
