/**
 * Timeline labels: each step told in words from the snapshots around it, e.g.
 * "t2 runs: sleeps on uvn_get, page 0x1000 is busy".
 */
import type { Step } from './api';
import type { ThreadView, ViewSnapshot } from './view';

export const hex = (n: number): string => `0x${n.toString(16)}`;

function where(t: ThreadView): string {
  if (t.line !== null) return `line ${t.line}${t.stack.length ? ` in ${t.stack[t.stack.length - 1]}` : ''}`;
  return t.callerStmt ?? 'its start';
}

function outcome(t: ThreadView, after: ViewSnapshot): string {
  switch (t.status) {
    case 'done':
      return `returns ${t.ret === null ? '(void)' : String(t.ret)}`;
    case 'io':
      return `waits for disk request ${t.wait?.slice(3)}`;
    case 'lock': {
      const owner = after.locks.find((l) => l.name === t.wait)?.owner;
      return `blocks on ${t.wait}${owner ? ` held by ${owner}` : ''}`;
    }
    case 'sleep': {
      const chan = t.chan ?? '';
      if (chan.startsWith('page:')) {
        const id = Number(chan.slice(5));
        const pg = after.pages.find((p) => p.id === id);
        return `sleeps on ${t.wait}, page ${pg ? hex(pg.offset) : `#${id}`} is busy`;
      }
      if (chan === 'uvmexp.free') return `sleeps on ${t.wait}: no free page`;
      return `sleeps on ${t.wait} (channel ${chan})`;
    }
    default:
      return `now at ${where(t)}`;
  }
}

export function describeStep(step: Step, before: ViewSnapshot, after: ViewSnapshot): string {
  const panic = after.panic && !before.panic ? `; panic: ${after.panic.message}` : '';
  if ('spawn' in step) {
    const args = Object.entries(step.args)
      .map(([k, v]) => `${k}=${typeof v === 'number' && k !== 'size' ? hex(v) : JSON.stringify(v)}`)
      .join(', ');
    return `spawn ${step.spawn}: ${step.call}(${args})`;
  }
  if ('complete' in step) {
    const req = before.io.find((r) => r.id === step.complete);
    return `request ${step.complete} completes ${step.result}${req ? `: ${req.thread} can run` : ''}`;
  }
  const id = 'run' in step ? step.run : step.step;
  const verb = 'run' in step ? 'runs' : 'steps';
  const t = after.threads.find((x) => x.id === id);
  return `${id} ${verb}: ${t ? (after.panic && !before.panic ? 'panics' : outcome(t, after)) : '?'}${panic}`;
}
