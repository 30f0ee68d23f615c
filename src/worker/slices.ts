/**
 * Long work in the worker, run in slices: a stretch of at most `sliceMs` at a time, with the message queue
 * let in between, so a ping, a Cancel or a Reset is seen at once; progress is said at each slice's end.
 */

/**
 * Work done in slices: it yields how many units (steps) it has done, or a promise it waits for (a pager's
 * kernel being fetched), and answers its command itself.
 */
export type Work = Generator<number | Promise<unknown>, void, void>;

/** Long work under way: what `sim.cancel` stops. */
export interface Job {
  readonly id: number;
  cancelled: boolean;
  /** Answered already, finishing behind the answer (an open's history): no progress reported. */
  quiet?: boolean;
  /** A command from the page (not the tutor's load), whose answer the page says it painted (`sim.shown`). */
  readonly page?: boolean;
  /** An open's: the seed its scenario shows, said with its progress. */
  seed?: string;
}

/** A command's long work: its job, what the progress calls it, its units in all (0: not known). */
export interface SlicedWork {
  job: Job;
  what: string;
  total: number;
  run: Work;
}

/** Work that does one thing at once. */
// eslint-disable-next-line require-yield
export function* once(f: () => void): Work {
  f();
}

/** Run `work` to its end at once (its pager's kernel must be loaded: the tutor loads them all first). */
export function drain(work: Work): void {
  for (let next = work.next(); !next.done; next = work.next())
    if (typeof next.value !== 'number') throw new Error('a pager kernel is not loaded');
}

export class Slicer {
  /** The work running in slices, if some is. */
  private job: Job | null = null;
  /** When the slice running now ends (performance.now()); Infinity when work runs to its end at once. */
  private sliceEnd = Infinity;
  /**
   * Whether the slice running now is over: work that yields only then (an open's replay) saves a resume of
   * two generators per step; the slice ends, and a Cancel is seen, exactly where it would have been.
   */
  readonly sliceOver: () => boolean;

  /**
   * `sliceMs` Infinity (Node, tests): every piece of work runs to its end at once. `yieldToQueue` waits for
   * the next slice (the worker: a macrotask, so queued messages run first).
   */
  constructor(
    private readonly sliceMs: number,
    private readonly yieldToQueue: () => Promise<void>,
    private readonly progress: (job: Job, what: string, done: number, total: number) => void,
  ) {
    this.sliceOver = sliceMs === Infinity ? () => false : () => performance.now() >= this.sliceEnd;
  }

  get busy(): boolean {
    return this.job !== null;
  }

  /** Stop the work running in slices at its next slice. */
  cancel(): void {
    if (this.job) this.job.cancelled = true;
  }

  /**
   * Run `work` for `sliceMs` at a time, saying its progress and letting queued messages in between; null
   * when it finished in its first slice.
   */
  run(work: SlicedWork): Promise<void> | null {
    const { job, what, total, run } = work;
    this.job = job;
    let done = 0;
    const progress = () => {
      if (!job.quiet) this.progress(job, what, done, total);
    };
    /** True when the work is done, a promise when it waits for one, false when its slice is over. */
    const slice = (): boolean | Promise<unknown> => {
      const until = performance.now() + this.sliceMs;
      this.sliceEnd = until;
      for (;;) {
        const next = run.next();
        if (next.done) {
          this.job = null;
          return true;
        }
        // Waiting (a kernel fetched over a slow network) is long work too: shown, and Cancel offered.
        if (typeof next.value !== 'number') {
          progress();
          return next.value;
        }
        done = next.value;
        if (performance.now() >= until) {
          progress();
          return false;
        }
      }
    };
    let state = slice();
    if (state === true) return null;
    return (async () => {
      do {
        await (state === false ? this.yieldToQueue() : state);
        state = slice();
      } while (state !== true);
    })();
  }
}
