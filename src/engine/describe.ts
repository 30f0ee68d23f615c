/**
 * Timeline labels: each step told in words from the snapshots around it, e.g.
 * "t2 runs: sleeps on uvn_get, page 0x1000 is busy".
 */
import { hex, HEX_ARGS } from '../protocol/format';
import type { Step } from '../protocol/scenario';
import type { ThreadView, ViewSnapshot } from '../protocol/snapshot';

/** What a label reads of the thread a step moved. */
export type DescribedThread = Pick<
  ThreadView,
  'status' | 'wait' | 'ret' | 'line' | 'callerStmt' | 'stack' | 'blockedOn'
>;

function where(t: DescribedThread): string {
  if (t.line !== null) return `line ${t.line}${t.stack.length ? ` in ${t.stack[t.stack.length - 1]}` : ''}`;
  return t.callerStmt ?? 'its start';
}

function returned(ret: ThreadView['ret']): string {
  if (ret === null) return '(void)';
  return typeof ret === 'object' ? JSON.stringify(ret) : String(ret);
}

function outcome(t: DescribedThread, after: Pick<ViewSnapshot, 'locks'>): string {
  switch (t.status) {
    case 'done':
      return `returns ${returned(t.ret)}`;
    case 'io':
      return `waits for disk request ${t.wait?.slice(3)}`;
    case 'lock': {
      const owner = after.locks.find((l) => l.name === t.wait)?.owner;
      return `blocks on ${t.wait}${owner ? ` held by ${owner}` : ''}`;
    }
    case 'sleep':
      return `sleeps on ${t.wait}${t.blockedOn ? `, ${t.blockedOn}` : ''}`;
    default:
      return `now at ${where(t)}`;
  }
}

/**
 * `step` in words, from the state before and after it; `thread` finds a thread
 * after it (the session's builder knows where each of thousands is); `woken`, the
 * threads a completion made runnable (PagerEngine.woken).
 */
export function describeStep(
  step: Step,
  before: Pick<ViewSnapshot, 'panic'>,
  after: Pick<ViewSnapshot, 'panic' | 'locks'>,
  thread: (id: string) => DescribedThread | undefined,
  woken: readonly string[] = [],
  spun: { readonly why: string } | null = null,
): string {
  const panic = after.panic && !before.panic ? `; panic: ${after.panic.message}` : '';
  if ('spawn' in step) {
    // A loop, not entries().map().join(): an open labels thousands of spawns (the same text).
    let args = '';
    for (const k of Object.keys(step.args)) {
      const v = step.args[k];
      args += `${args === '' ? '' : ', '}${k}=${typeof v === 'number' && HEX_ARGS.has(k) ? hex(v) : JSON.stringify(v)}`;
    }
    return `spawn ${step.spawn}: ${step.call}(${args})`;
  }
  if ('complete' in step) {
    // The threads it woke, not the request's: an asynchronous request's thread (FreeBSD's sendfile or pageout)
    // has often returned long before, and its completion routine, run inside this step, wakes the sleepers on
    // the pages it unbusies.
    const can = woken.length > 0 ? `: ${woken.join(', ')} can run` : '';
    return `request ${step.complete} completes ${step.result}${can}${panic}`;
  }
  const id = 'run' in step ? step.run : step.step;
  const verb = 'run' in step ? 'runs' : 'steps';
  const t = thread(id);
  // A run stopped at a loop that never ends (PagerEngine.spun): the thread is still ready there.
  if (spun !== null && t && t.status === 'ready')
    return `${id} ${verb}: loops for ever${t.stack.length ? ` in ${t.stack[t.stack.length - 1]}` : ''}: ${spun.why}; run stopped at ${where(t)}`;
  return `${id} ${verb}: ${t ? (after.panic && !before.panic ? 'panics' : outcome(t, after)) : '?'}${panic}`;
}
