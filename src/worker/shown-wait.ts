/**
 * The history an open builds behind its answer waits until the page says that answer is painted
 * (`sim.shown`): built at once, its slices took a core from the page's render of the answer on a 2-core
 * machine. A page that never says (a lost message, a page without frames) holds it for `timeoutMs` at most.
 */
export class ShownWait {
  private pending: { readonly answer: number; readonly done: () => void } | null = null;

  constructor(private readonly timeoutMs: number) {}

  /** Settles when the answer to command `answer` is on screen, or after the timeout. */
  until(answer: number): Promise<void> {
    this.release();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.pending?.done === done) this.pending = null;
        resolve();
      };
      const timer = setTimeout(done, this.timeoutMs);
      this.pending = { answer, done };
    });
  }

  /** The page painted the answer to command `answer` (one it no longer waits for is ignored). */
  shown(answer: number): void {
    if (this.pending?.answer === answer) this.pending.done();
  }

  /** Stop waiting (a Cancel: the job must see it now, not after the timeout). */
  release(): void {
    this.pending?.done();
  }
}
