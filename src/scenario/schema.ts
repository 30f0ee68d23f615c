/**
 * The scenario format, version 1 (shared/scenario-format.md), as zod schemas,
 * plus the checks a schema cannot express (names that must exist, threads run
 * before their spawn). `parseScenario` accepts text or a parsed value and
 * either returns a typed scenario or says which step and field are wrong.
 */
import { z } from 'zod';
import type { CallName, Scenario, Step, VnodeSpec } from '../engine/api';
import { parseStrictJson, JsonInputError, type JsonPath } from './strict-json';

export type { CallName, Scenario, Step, VnodeSpec };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_INT32 = 2 ** 31 - 1;

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must match [A-Za-z0-9_.-]{1,64}');
const uint = z
  .number()
  .int('must be an integer')
  .min(0, 'must be non-negative')
  .max(MAX_SAFE, 'must be at most 2^53 - 1');
const uint32 = z
  .number()
  .int('must be an integer')
  .min(0, 'must be non-negative')
  .max(MAX_INT32, 'must be at most 2^31 - 1');
const prot = z.enum(['r', 'rw']);

export const PGO_NAMES = [
  'PGO_CLEANIT',
  'PGO_SYNCIO',
  'PGO_DEACTIVATE',
  'PGO_FREE',
  'PGO_ALLPAGES',
  'PGO_DOACTCLUST',
  'PGO_LOCKED',
  'PGO_PDFREECLUST',
  'PGO_REALLOCSWAP',
  'PGO_NOWAIT',
] as const;

const vnodeArg = z.strictObject({ vnode: name });

/** Arguments of each OpenBSD call (scenario-format.md, "OpenBSD calls"). */
export const OPENBSD_CALL_ARGS = {
  uvn_attach: z.strictObject({ vnode: name, prot }),
  mmap: z.strictObject({ vnode: name, prot, shared: z.boolean() }),
  uvn_reference: vnodeArg,
  uvn_detach: vnodeArg,
  uvn_flush: z.strictObject({
    vnode: name,
    flags: z.array(z.enum(PGO_NAMES)).refine((flags) => new Set(flags).size === flags.length, 'flags must be distinct'),
    start: uint.optional(),
    stop: uint.optional(),
  }),
  fault: z.strictObject({
    vnode: name,
    offset: uint.refine((n) => n % 4096 === 0, 'must be page-aligned (a multiple of 4096)'),
    access: z.enum(['read', 'write']),
  }),
  uvm_vnp_terminate: vnodeArg,
  uvm_vnp_uncache: vnodeArg,
  uvm_vnp_setsize: z.strictObject({ vnode: name, size: uint }),
  uvm_vnp_sync: z.strictObject({ mount: name.optional() }),
  vref: vnodeArg,
  vrele: vnodeArg,
  recycle: vnodeArg,
  revoke: vnodeArg,
} as const;

export const CALL_NAMES = Object.keys(OPENBSD_CALL_ARGS) as CallName[];
// Every call the engine knows has an argument schema, and no other.
const _callsMatch: Record<CallName, unknown> = OPENBSD_CALL_ARGS;
void _callsMatch;

const vnodeSpec = z.strictObject({
  name,
  size: uint,
  type: z.enum(['VREG', 'VBLK']).optional(),
  mount: name.optional(),
  usecount: uint32.optional(),
  vtext: z.boolean().optional(),
});

const spawnStep = z.strictObject({
  spawn: name,
  call: z.enum(CALL_NAMES as [CallName, ...CallName[]]),
  args: z.record(z.string(), z.unknown()),
});
const runStep = z.strictObject({ run: name });
const stepStep = z.strictObject({ step: name });
const completeStep = z.strictObject({
  complete: uint32.min(1, 'request ids start at 1'),
  result: z.string().regex(/^(ok|eio|short:(0|[1-9]\d*))$/, 'must be "ok", "eio" or "short:B"'),
});

const header = z.strictObject({
  format: z.literal('pager-scenario/1'),
  pager: z.enum(['openbsd', 'freebsd']),
  title: z.string().optional(),
  machine: z.strictObject({ physPages: uint32.optional() }).optional(),
  vnodes: z.array(vnodeSpec),
  steps: z.array(z.unknown()),
});

type VnodeSpecParsed = z.infer<typeof vnodeSpec>;
// The engine's own input types must accept what the schema produces.
const _vnodeSpecFits = (v: VnodeSpecParsed): VnodeSpec => v;
void _vnodeSpecFits;

export interface ScenarioError {
  /** Step index, -1 for the setup. */
  step: number;
  /** Field path inside the step (or the setup), empty when the step as a whole is wrong. */
  field: string;
  reason: string;
}

export function formatScenarioError(e: ScenarioError): string {
  return e.field ? `step ${e.step}: ${e.field}: ${e.reason}` : `step ${e.step}: ${e.reason}`;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; error: ScenarioError };

function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Locate a path from the document root: inside steps[N] it is step N's field. */
function locate(path: readonly PropertyKey[]): { step: number; field: string } {
  if (path[0] === 'steps' && typeof path[1] === 'number') return { step: path[1], field: fieldOf(path.slice(2)) };
  return { step: -1, field: fieldOf(path) };
}

function zodError(err: z.ZodError, prefix: readonly PropertyKey[]): ScenarioError {
  const issue = err.issues[0]!;
  let path = [...prefix, ...issue.path];
  let reason = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]!];
    reason = 'unknown key';
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    reason = 'required key missing';
  }
  return { ...locate(path), reason };
}

function stepSchema(step: unknown): z.ZodType | null {
  if (typeof step !== 'object' || step === null || Array.isArray(step)) return null;
  if ('spawn' in step) return spawnStep;
  if ('run' in step) return runStep;
  if ('step' in step) return stepStep;
  if ('complete' in step) return completeStep;
  return null;
}

export function parseScenario(input: string | unknown): ParseResult {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = parseStrictJson(input);
    } catch (e) {
      if (e instanceof JsonInputError) return { ok: false, error: { ...locate(e.path as JsonPath), reason: e.reason } };
      throw e;
    }
  }
  const head = header.safeParse(doc);
  if (!head.success) return { ok: false, error: zodError(head.error, []) };
  const scenario = head.data as Scenario;

  const vnodeNames = new Set<string>();
  const mounts = new Set<string>();
  for (const [i, vp] of scenario.vnodes.entries()) {
    if (vnodeNames.has(vp.name))
      return { ok: false, error: { step: -1, field: `vnodes[${i}].name`, reason: `duplicate vnode name ${vp.name}` } };
    vnodeNames.add(vp.name);
    mounts.add(vp.mount ?? 'm1');
  }

  const threads = new Set<string>();
  const steps: Step[] = [];
  for (const [i, raw] of (head.data.steps as unknown[]).entries()) {
    const schema = stepSchema(raw);
    if (!schema)
      return {
        ok: false,
        error: { step: i, field: '', reason: 'a step is an object with one of spawn, run, step or complete' },
      };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, error: zodError(parsed.error, ['steps', i]) };
    const step = parsed.data as Step;
    if ('spawn' in step) {
      if (threads.has(step.spawn))
        return { ok: false, error: { step: i, field: 'spawn', reason: `thread name ${step.spawn} already used` } };
      const args = OPENBSD_CALL_ARGS[step.call].safeParse(step.args);
      if (!args.success) return { ok: false, error: zodError(args.error, ['steps', i, 'args']) };
      const a = args.data as Record<string, unknown>;
      if (typeof a.vnode === 'string' && !vnodeNames.has(a.vnode))
        return { ok: false, error: { step: i, field: 'args.vnode', reason: `unknown vnode ${a.vnode}` } };
      if (typeof a.mount === 'string' && !mounts.has(a.mount))
        return { ok: false, error: { step: i, field: 'args.mount', reason: `unknown mount ${a.mount}` } };
      threads.add(step.spawn);
      steps.push({ spawn: step.spawn, call: step.call, args: a });
      continue;
    }
    const thread = 'run' in step ? step.run : 'step' in step ? step.step : null;
    if (thread !== null && !threads.has(thread)) {
      const field = 'run' in step ? 'run' : 'step';
      return {
        ok: false,
        error: { step: i, field, reason: `unknown thread ${thread} (not spawned before this step)` },
      };
    }
    steps.push(step);
  }
  return { ok: true, scenario: { ...scenario, steps } };
}
