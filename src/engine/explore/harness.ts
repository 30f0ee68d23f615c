/**
 * A chainable driver for engine tests, in the style of tldraw's TestEditor:
 * a test reads as the steps a person takes and what they then see.
 *
 *   harness({ vnodes: [{ name: 'vn1', size: 8192 }] })
 *     .spawn('t1', 'uvn_attach', { vnode: 'vn1', prot: 'rw' })
 *     .run('t1')
 *     .expectThread('t1', { status: 'done', ret: 'obj' })
 *
 * Every step must be accepted (`expectRefused` says one must not) and, after
 * each, the kernel's invariants must hold (explore/invariants.ts). A failed
 * expectation throws a HarnessError naming what differed, with the scenario so
 * far, ready to paste into the lab or the runner. Framework-free: any test
 * runner reports the throw.
 */
import { stringifyDigest } from '../../protocol/digest-json';
import type { Scenario, Setup, Step } from '../../protocol/scenario';
import { setupOf } from '../../protocol/scenario';
import { PagerEngine } from '../engine';
import type { Digest, InvariantMemo } from '../model';
import { checkInvariants } from './invariants';
import { stepLabel } from './steps';

export class HarnessError extends Error {
  override name = 'HarnessError';
}

/** A setup with the pager left out (default "openbsd"). */
export type HarnessSetup = Omit<Setup, 'pager'> & { pager?: string };

export interface HarnessOptions {
  /** Check the kernel's invariants after every step (default true). */
  invariants?: boolean;
}

/** A thread as the digest shows it. */
export interface ThreadExpectation {
  call?: string;
  status?: string;
  wait?: string | null;
  ret?: unknown;
}

export function harness(setup: HarnessSetup, options: HarnessOptions = {}): ScenarioHarness {
  return new ScenarioHarness({ ...setup, pager: setup.pager ?? 'openbsd' } as Setup, options);
}

export class ScenarioHarness {
  readonly engine: PagerEngine;
  private readonly applied: Step[] = [];
  private readonly memo: InvariantMemo = {};

  constructor(
    readonly setup: Setup,
    private readonly options: HarnessOptions = {},
  ) {
    this.engine = new PagerEngine(setup);
    this.checkInvariants();
  }

  /** The steps applied so far. */
  get steps(): readonly Step[] {
    return this.applied;
  }

  /** The contract digest now. */
  digest(): Digest {
    return this.engine.digest();
  }

  /** The scenario so far: the setup and every step applied. */
  scenario(title?: string): Scenario {
    return {
      format: 'pager-scenario/1',
      ...setupOf(this.setup),
      ...(title ? { title } : {}),
      steps: [...this.applied],
    };
  }

  /** Apply any step; it must be accepted. */
  apply(step: Step): this {
    const refusal = this.engine.apply(step);
    if (refusal !== null) this.fail(`${stepLabel(step)} was refused: ${refusal}`);
    this.applied.push(step);
    this.checkInvariants();
    return this;
  }

  spawn(thread: string, call: string, args: Record<string, unknown> = {}): this {
    return this.apply({ spawn: thread, call, args });
  }

  run(thread: string): this {
    return this.apply({ run: thread });
  }

  /** Step `thread` through `count` statements (default one). */
  step(thread: string, count = 1): this {
    for (let i = 0; i < count; i++) this.apply({ step: thread });
    return this;
  }

  complete(request: number, result = 'ok'): this {
    return this.apply({ complete: request, result });
  }

  /** The step must be refused (and change nothing); its reason must match `reason` when given. */
  expectRefused(step: Step, reason?: RegExp | string): this {
    const before = stringifyDigest(this.digest());
    const refusal = this.engine.apply(step);
    if (refusal === null) {
      this.applied.push(step);
      this.fail(`${stepLabel(step)} was accepted, expected a refusal`);
    }
    if (reason !== undefined && !(typeof reason === 'string' ? refusal.includes(reason) : reason.test(refusal)))
      this.fail(`${stepLabel(step)} was refused with "${refusal}", expected ${String(reason)}`);
    if (stringifyDigest(this.digest()) !== before) this.fail(`the refused ${stepLabel(step)} changed the digest`);
    return this;
  }

  /** The thread's digest entry has these values. */
  expectThread(thread: string, expected: ThreadExpectation): this {
    const threads = this.digest().threads as { id: string }[] | undefined;
    const actual = threads?.find((t) => t.id === thread);
    if (!actual) this.fail(`no thread ${thread}`);
    const diff = mismatch(actual, expected, `thread ${thread}`);
    if (diff !== null) this.fail(diff);
    return this;
  }

  /**
   * The digest matches `expected`: every key given must match (objects recursively, arrays element by
   * element with the same length, other values exactly); keys left out are not checked.
   */
  expectDigest(expected: Record<string, unknown>): this {
    const diff = mismatch(this.digest(), expected, 'digest');
    if (diff !== null) this.fail(diff);
    return this;
  }

  /** The kernel panicked with this message (or one matching it). */
  expectPanic(message: RegExp | string): this {
    const actual = this.engine.k.s.panic?.message ?? null;
    const ok = actual !== null && (typeof message === 'string' ? actual === message : message.test(actual));
    if (!ok) this.fail(`panic is ${JSON.stringify(actual)}, expected ${String(message)}`);
    return this;
  }

  private checkInvariants(): void {
    if (this.options.invariants === false) return;
    const broken = checkInvariants(this.engine, this.memo);
    if (broken.length > 0) this.fail(`invariants broken: ${broken.join('; ')}`);
  }

  private fail(message: string): never {
    throw new HarnessError(
      `${message}\n  after: ${this.applied.map(stepLabel).join(', ') || '(boot)'}\n  scenario: ${JSON.stringify(this.scenario())}`,
    );
  }
}

/** Where `actual` differs from the partial `expected`, in words, or null. */
function mismatch(actual: unknown, expected: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path} is ${JSON.stringify(actual)}, expected an array`;
    if (actual.length !== expected.length)
      return `${path} has ${actual.length} entries, expected ${expected.length}: ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = mismatch(actual[i], expected[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null)
      return `${path} is ${JSON.stringify(actual)}, expected an object`;
    for (const [key, value] of Object.entries(expected)) {
      const d = mismatch((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(actual, expected)
    ? null
    : `${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}
