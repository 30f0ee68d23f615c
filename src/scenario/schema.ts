/**
 * The scenario reader (shared/scenario-format.md): strict JSON in, a typed
 * Scenario or the first error out, naming the step (-1 for the setup), the
 * field and what is wrong. What a pager allows (its calls and their
 * arguments, its setup keys) comes from its model in the registry, so the
 * runner, the worker and the tools read scenarios one way.
 */
import { pagerCard, pagerNames } from '../engine/registry';
import type { ArgSpec, CallSpec } from '../protocol/profile';
import type { MountSpec, Scenario, Setup, Step, VnodeSpec } from '../protocol/scenario';
import {
  array,
  at,
  boolean,
  CheckError,
  choice,
  count,
  describe,
  fail,
  integer,
  keys,
  MAX_INT32,
  MAX_SAFE,
  name,
  numberChoice,
  object,
  string,
} from './checks';
import { decodeUtf8, utf8Length } from './utf8';
import { JsonInputError, NumberText, parseStrictJson, quote, type JsonObject, type JsonPath } from './strict-json';

export type { Scenario, Step };

/** Limits checked before any work starts, each with its own message. */
export const LIMITS = {
  /** Bytes of scenario text (UTF-8), as the file's size. */
  textBytes: 16 * 1024 * 1024,
  titleLength: 4000,
  /**
   * Steps: twice the 100,000 the runner is measured with. Reading a step costs about a microsecond, so a
   * file that breaks only at its last step is still refused well within a second.
   */
  steps: 200_000,
  /**
   * JSON values in the text (objects, lists, strings, numbers, literals): the parser stops past it, so no
   * shape of input makes it build more (a million objects take it about half a second). A step is 2 to
   * 16 values (a run 2, a fault spawn 7): 100,000 spawn/run pairs are 600,000 to 900,000.
   */
  jsonValues: 1_000_000,
  /**
   * Steps times the most pages that can be resident (the model's bound): a flush, a sync or a digest
   * can visit every resident page at every step, so this bounds a run's work whatever the file sizes.
   */
  pageSteps: 250_000_000,
  vnodes: 256,
  mounts: 64,
  /** Entries of a FreeBSD block map: a 1 GiB file in 4 KiB blocks. */
  blocks: 262_144,
} as const;

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

/** A key as a field name shows it: plain names as they are, any other key quoted (`["a b"]`), so the line stays one line. */
function fieldOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]{0,63}$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${quote(p)}]`;
  }
  return out;
}

/** Locate a path from the document root: inside steps[N] it is step N's field. */
function locate(path: JsonPath): { step: number; field: string } {
  if (path[0] === 'steps' && typeof path[1] === 'number') return { step: path[1], field: fieldOf(path.slice(2)) };
  return { step: -1, field: fieldOf(path) };
}

const FORMAT = 'pager-scenario/1';
/** A challenge solution's format (src/teaching/challenge.ts): named when such a file is given as a scenario. */
const SOLUTION_FORMAT = 'pager-solution/1';
const IOSIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
const SECTOR_SIZES = [512, 1024, 2048, 4096];
const uint = (v: unknown, path: JsonPath, key?: string | number) => integer(v, path, 0, MAX_SAFE, key);
const uint32 = (v: unknown, path: JsonPath, key?: string | number) => integer(v, path, 0, MAX_INT32, key);

/** Setup keys every pager may use; a model lists which of the optional ones it reads. */
const MACHINE_KEYS = ['physPages', 'pageoutFreeMin', 'pbufs', 'asyncPbufs'] as const;
const VNODE_KEYS = ['name', 'size', 'type', 'mount', 'usecount', 'vtext', 'blocks'] as const;

function readMachine(v: unknown, path: JsonPath, allowed: readonly string[]): Scenario['machine'] {
  const o = object(v, path);
  keys(o, path, allowed, []);
  const out: Record<string, number> = {};
  // The contract bounds physPages by 2^31 - 1; FreeBSD's counters (pbufs, asyncPbufs, pageoutFreeMin) by 2^53 - 1.
  for (const key of Object.keys(o))
    out[key] = key === 'physPages' ? uint32(o[key], [...path, key]) : uint(o[key], [...path, key]);
  return out;
}

function readMount(v: unknown, path: JsonPath): MountSpec {
  const o = object(v, path);
  keys(o, path, ['name', 'iosize', 'sectorSize', 'bmap', 'putpages'], ['name']);
  const m: MountSpec = { name: name(o.name, [...path, 'name']) };
  if (Object.hasOwn(o, 'iosize')) m.iosize = numberChoice(o.iosize, [...path, 'iosize'], IOSIZES);
  if (Object.hasOwn(o, 'sectorSize')) m.sectorSize = numberChoice(o.sectorSize, [...path, 'sectorSize'], SECTOR_SIZES);
  if (Object.hasOwn(o, 'bmap')) m.bmap = boolean(o.bmap, [...path, 'bmap']);
  if (Object.hasOwn(o, 'putpages'))
    m.putpages = choice(o.putpages, [...path, 'putpages'], ['generic', 'undirty'] as const);
  return m;
}

function readVnode(v: unknown, path: JsonPath, allowed: readonly string[]): VnodeSpec {
  const o = object(v, path);
  keys(o, path, allowed, ['name', 'size']);
  const vn: VnodeSpec = { name: name(o.name, [...path, 'name']), size: uint(o.size, [...path, 'size']) };
  if (Object.hasOwn(o, 'type')) vn.type = choice(o.type, [...path, 'type'], ['VREG', 'VBLK'] as const);
  if (Object.hasOwn(o, 'mount')) vn.mount = name(o.mount, [...path, 'mount']);
  if (Object.hasOwn(o, 'usecount')) vn.usecount = uint32(o.usecount, [...path, 'usecount']);
  if (Object.hasOwn(o, 'vtext')) vn.vtext = boolean(o.vtext, [...path, 'vtext']);
  if (Object.hasOwn(o, 'blocks'))
    vn.blocks = array(o.blocks, [...path, 'blocks'], LIMITS.blocks).map((b, i) =>
      integer(b, [...path, 'blocks', i], -1, MAX_SAFE),
    );
  return vn;
}

/** What a step may name: vnodes, mounts, and threads spawned before it. */
interface Names {
  vnodes: ReadonlySet<string>;
  mounts: ReadonlySet<string>;
  threads: ReadonlySet<string>;
}

/** What a step reads of a pager's calls, made once per list: their names in order, each call by name. */
interface CallIndex {
  readonly names: readonly string[];
  readonly byName: ReadonlyMap<string, CallIndexed>;
}

/** A call's arguments' names: all, the required ones, and each argument by name. */
interface CallIndexed {
  readonly names: readonly string[];
  readonly required: readonly string[];
  readonly args: ReadonlyMap<string, ArgSpec>;
}

const callIndexes = new WeakMap<readonly CallSpec[], CallIndex>();

function callIndex(calls: readonly CallSpec[]): CallIndex {
  let index = callIndexes.get(calls);
  if (index) return index;
  const byName = new Map<string, CallIndexed>();
  for (const call of calls) {
    if (byName.has(call.name)) continue;
    const args = new Map<string, ArgSpec>();
    for (const a of call.args) if (!args.has(a.name)) args.set(a.name, a);
    byName.set(call.name, {
      names: call.args.map((a) => a.name),
      required: call.args.filter((a) => !('optional' in a && a.optional)).map((a) => a.name),
      args,
    });
  }
  callIndexes.set(calls, (index = { names: calls.map((c) => c.name), byName }));
  return index;
}

/** Argument `key` of the object at `path`. */
function readArg(spec: ArgSpec, v: unknown, path: JsonPath, key: string, names: Names): unknown {
  switch (spec.kind) {
    case 'vnode': {
      const n = name(v, path, key);
      if (!names.vnodes.has(n)) fail(at(path, key), `unknown vnode ${n}`);
      return n;
    }
    case 'mount': {
      const n = name(v, path, key);
      if (!names.mounts.has(n)) fail(at(path, key), `unknown mount ${n}`);
      return n;
    }
    case 'mapping': {
      const n = name(v, path, key);
      if (!names.threads.has(n)) fail(at(path, key), `unknown thread ${n} (not spawned before this step)`);
      return n;
    }
    case 'choice':
      return choice(v, path, spec.choices, key);
    case 'bool':
      return boolean(v, path, key);
    case 'number': {
      const n = uint(v, path, key);
      if (spec.pageAligned && n % 4096 !== 0) fail(at(path, key), 'must be page-aligned (a multiple of 4096)');
      if (spec.positive && n === 0) fail(at(path, key), 'must be greater than 0');
      return n;
    }
    case 'flags': {
      const here = at(path, key);
      const list = array(v, here, spec.choices.length);
      const seen = new Set<string>();
      for (const [i, item] of list.entries()) {
        const flag = choice(item, here, spec.choices, i);
        if (seen.has(flag)) fail([...here, i], `${flag} is listed twice: flags must be distinct`);
        seen.add(flag);
      }
      return [...list];
    }
  }
}

function readArgs(call: CallIndexed, v: unknown, path: JsonPath, names: Names): Record<string, unknown> {
  const o = object(v, path);
  keys(o, path, call.names, call.required);
  const out: Record<string, unknown> = {};
  // Keys as written, so an exported scenario reads back the same.
  for (const key of Object.keys(o)) out[key] = readArg(call.args.get(key)!, o[key], path, key, names);
  return out;
}

const SPAWN_KEYS = ['spawn', 'call', 'args'];
const KIND_KEYS = { run: ['run'], step: ['step'] } as const;
const RUN_OR_STEP = ['run', 'step'] as const;
const COMPLETE_KEYS = ['complete', 'result'];

/**
 * What is wrong with a disk completion's result ("ok", "eio" or "short:B", B a whole number of bytes up to
 * 2^53 - 1 written without leading zeros), or null: the one rule for a file's step, the lab's explorer and the
 * command line's `--results`, so that what one takes the others take too.
 */
export function resultProblem(result: string): string | null {
  if (result === 'ok' || result === 'eio') return null;
  const m = /^short:(0|[1-9]\d*)$/.exec(result);
  if (!m) return `must be "ok", "eio" or "short:B", got ${describe(result)}`;
  if (!Number.isSafeInteger(Number(m[1]))) return `B in short:B must be at most 2^53 - 1, got ${m[1]}`;
  return null;
}

function readStep(
  v: unknown,
  path: JsonPath,
  calls: readonly CallSpec[],
  names: Names & { threads: Set<string> },
): Step {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof NumberText)
    fail(path, `expected a step (an object with one of spawn, run, step or complete), got ${describe(v)}`);
  const o = v as JsonObject;
  if (Object.hasOwn(o, 'spawn')) {
    keys(o, path, SPAWN_KEYS, SPAWN_KEYS);
    const id = name(o.spawn, path, 'spawn');
    if (names.threads.has(id)) fail([...path, 'spawn'], `thread name ${id} already used`);
    const index = callIndex(calls);
    const callName = choice(o.call, path, index.names, 'call');
    const args = readArgs(index.byName.get(callName)!, o.args, [...path, 'args'], names);
    names.threads.add(id);
    return { spawn: id, call: callName, args };
  }
  for (const key of RUN_OR_STEP) {
    if (!Object.hasOwn(o, key)) continue;
    keys(o, path, KIND_KEYS[key], KIND_KEYS[key]);
    const id = name(o[key], path, key);
    if (!names.threads.has(id)) fail([...path, key], `unknown thread ${id} (not spawned before this step)`);
    return key === 'run' ? { run: id } : { step: id };
  }
  if (Object.hasOwn(o, 'complete')) {
    keys(o, path, COMPLETE_KEYS, COMPLETE_KEYS);
    const id = uint32(o.complete, path, 'complete');
    if (id < 1) fail([...path, 'complete'], 'request ids start at 1');
    const result = string(o.result, path, 64, 'result');
    const problem = resultProblem(result);
    if (problem !== null) fail([...path, 'result'], problem);
    return { complete: id, result };
  }
  // A step that lost its kind key: name the key it needs rather than call its other keys unknown.
  if (Object.hasOwn(o, 'result')) fail([...path, 'complete'], 'required key missing');
  if (Object.hasOwn(o, 'call') || Object.hasOwn(o, 'args')) fail([...path, 'spawn'], 'required key missing');
  const first = Object.keys(o)[0];
  if (first === undefined)
    return fail(path, 'expected a step (an object with one of spawn, run, step or complete), got an empty object');
  return fail([...path, first], 'unknown key (a step has one of spawn, run, step or complete)');
}

/** `consume`: the document is the reader's own (parsed here), so it may be taken apart as it is read. */
function read(doc: unknown, consume: boolean): Scenario {
  const o = object(doc, [], 'a scenario (an object)');
  // The format first: a file of another format (a challenge's solution, say) has other keys, and its format is
  // what is wrong with it.
  if (Object.hasOwn(o, 'format') && o.format !== FORMAT) {
    const solution = o.format === SOLUTION_FORMAT ? ' (a challenge solution: the grader reads it, npm run grade)' : '';
    fail(['format'], `must be "${FORMAT}", got ${describe(o.format)}${solution}`);
  }
  // A lab session saved from the browser (its "scenario" and "cursor"): what it is, not only which key is wrong.
  if (!Object.hasOwn(o, 'format') && Object.hasOwn(o, 'scenario') && Object.hasOwn(o, 'cursor'))
    fail(['scenario'], 'unknown key (a saved lab session, not a scenario: its "scenario" field holds one)');
  keys(
    o,
    [],
    ['format', 'pager', 'title', 'machine', 'mounts', 'vnodes', 'steps'],
    ['format', 'pager', 'vnodes', 'steps'],
  );
  const pager = choice(o.pager, ['pager'], pagerNames());
  const model = pagerCard(pager)!;
  const allowed = model.scenarioKeys;
  const scenario: Scenario = { format: FORMAT, pager, vnodes: [], steps: [] };
  if (Object.hasOwn(o, 'title')) scenario.title = string(o.title, ['title'], LIMITS.titleLength);
  if (Object.hasOwn(o, 'machine'))
    scenario.machine = readMachine(
      o.machine,
      ['machine'],
      MACHINE_KEYS.filter((key) => allowed.machine.includes(key)),
    );
  const mounts = new Set<string>();
  if (Object.hasOwn(o, 'mounts')) {
    if (!allowed.mounts) fail(['mounts'], `an ${model.profile.kernel} scenario has no mounts`);
    scenario.mounts = array(o.mounts, ['mounts'], LIMITS.mounts).map((m, i) => {
      const mount = readMount(m, ['mounts', i]);
      if (mounts.has(mount.name)) fail(['mounts', i, 'name'], `mount ${mount.name} is listed twice`);
      mounts.add(mount.name);
      return mount;
    });
  }
  const vnodeKeys = VNODE_KEYS.filter((key) => key === 'name' || key === 'size' || allowed.vnode.includes(key));
  const vnodeNames = new Set<string>();
  scenario.vnodes = array(o.vnodes, ['vnodes'], LIMITS.vnodes).map((v, i) => {
    const vn = readVnode(v, ['vnodes', i], vnodeKeys);
    if (vnodeNames.has(vn.name)) fail(['vnodes', i, 'name'], `duplicate vnode name ${vn.name}`);
    vnodeNames.add(vn.name);
    mounts.add(vn.mount ?? 'm1');
    return vn;
  });
  const setupError = model.checkSetup?.(scenario) ?? null;
  if (setupError) fail(setupError.path, setupError.reason);
  const names = { vnodes: vnodeNames, mounts, threads: new Set<string>() };
  const calls = model.profile.calls;
  const raw = array(o.steps, ['steps'], LIMITS.steps);
  for (let i = 0; i < raw.length; i++) {
    scenario.steps.push(readStep(raw[i], ['steps', i], calls, names));
    // Let a long scenario's parsed steps go as they are read, so it is not held twice.
    if (consume) raw[i] = null;
  }
  const pages = model.maxResidentPages?.(scenario) ?? 0;
  if (scenario.steps.length * pages > LIMITS.pageSteps)
    fail(
      ['steps'],
      `${count(scenario.steps.length)} steps with up to ${count(pages)} resident pages is ${count(scenario.steps.length * pages)} page-steps of work, more than the limit of ${count(LIMITS.pageSteps)}`,
    );
  return scenario;
}

const tooLong = (what: string, size: number, unit: string, limit: number): ParseResult => ({
  ok: false,
  error: {
    step: -1,
    field: '',
    reason: `the scenario ${what} ${count(size)} ${unit}, more than the limit of ${count(limit)}`,
  },
});

/**
 * Check one step made in the lab (a spawn typed into its form, a disk completion) against a loaded setup, as
 * a file's would be: the call and its arguments, names that must exist (`threads`: those spawned so far), a
 * completion's result. Null when it is fine.
 */
export function checkStep(setup: Setup, threads: readonly string[], step: Step): ScenarioError | null {
  const model = pagerCard(setup.pager);
  if (!model) return { step: 0, field: '', reason: `no pager model "${setup.pager}"` };
  const names = {
    vnodes: new Set(setup.vnodes.map((v) => v.name)),
    mounts: new Set([...(setup.mounts ?? []).map((m) => m.name), ...setup.vnodes.map((v) => v.mount ?? 'm1')]),
    threads: new Set(threads),
  };
  try {
    readStep(step, [], model.profile.calls, names);
    return null;
  } catch (e) {
    if (e instanceof CheckError) return { ...locate(e.path), step: 0, reason: e.reason };
    throw e;
  }
}

/** Read a scenario from text (strict JSON) or an already parsed value. */
export function parseScenario(input: string | unknown): ParseResult {
  if (typeof input !== 'string') return readChecked(input, false);
  // A UTF-16 unit is at most 3 bytes of UTF-8, so only a long text needs its bytes counted.
  if (input.length > LIMITS.textBytes / 3) {
    const bytes = utf8Length(input);
    if (bytes > LIMITS.textBytes) return tooLong('text is', bytes, 'bytes of UTF-8', LIMITS.textBytes);
  }
  return parseText(input);
}

/** Text already within the size limit. */
function parseText(text: string): ParseResult {
  let doc: unknown;
  try {
    doc = parseStrictJson(text, LIMITS.jsonValues);
  } catch (e) {
    if (e instanceof JsonInputError) return { ok: false, error: { ...locate(e.path), reason: e.reason } };
    throw e;
  }
  return readChecked(doc, true);
}

function readChecked(doc: unknown, consume: boolean): ParseResult {
  try {
    return { ok: true, scenario: read(doc, consume) };
  } catch (e) {
    if (e instanceof CheckError) return { ok: false, error: { ...locate(e.path), reason: e.reason } };
    throw e;
  }
}

/** Read a scenario file's bytes: the size limit first, then UTF-8, then the text. */
export function parseScenarioBytes(bytes: Uint8Array): ParseResult {
  if (bytes.length > LIMITS.textBytes) return tooLong('file is', bytes.length, 'bytes', LIMITS.textBytes);
  const decoded = decodeUtf8(bytes);
  if ('badByte' in decoded)
    return { ok: false, error: { step: -1, field: '', reason: notUtf8(bytes, decoded.badByte) } };
  return parseText(decoded.text);
}

/** Why `bytes` are not a text: the first byte that is not UTF-8 (the command-line tools' other files say it alike). */
export function notUtf8(bytes: Uint8Array, at: number): string {
  return `the file is not valid UTF-8 at byte ${at} (0x${bytes[at]!.toString(16).padStart(2, '0')})`;
}
