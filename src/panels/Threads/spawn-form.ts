/**
 * The "Start a call" form's logic (pure): which argument fields a call has
 * (read from its zod schema, so the form cannot drift from the format), the
 * defaults, and turning what was typed into a SpawnStep or per-field errors.
 */
import type { CallName, SpawnStep } from '../../engine/api';
import { CALL_NAMES, OPENBSD_CALL_ARGS, PGO_NAMES } from '../../scenario/schema';
import { parseByteCount } from '../format';

export { CALL_NAMES, PGO_NAMES };
export type PgoName = (typeof PGO_NAMES)[number];

/** Every argument any call takes. */
export type ArgKey = 'vnode' | 'prot' | 'shared' | 'access' | 'offset' | 'size' | 'mount' | 'flags' | 'start' | 'stop';

/** What the form holds: text as typed for the numbers. */
export interface SpawnFields {
  name: string;
  call: CallName;
  vnode: string;
  prot: 'r' | 'rw';
  shared: boolean;
  access: 'read' | 'write';
  offset: string;
  size: string;
  /** Empty: every mount. */
  mount: string;
  flags: readonly PgoName[];
  start: string;
  stop: string;
}

export type FormErrors = Partial<Record<'name' | ArgKey, string>>;

export const DEFAULT_FLAGS: readonly PgoName[] = ['PGO_CLEANIT', 'PGO_SYNCIO', 'PGO_ALLPAGES'];

export const DEFAULT_FIELDS: Omit<SpawnFields, 'name' | 'vnode'> = {
  call: 'uvn_attach',
  prot: 'rw',
  shared: true,
  access: 'write',
  offset: '0',
  size: '0',
  mount: '',
  flags: DEFAULT_FLAGS,
  start: '0',
  stop: '0',
};

/** The argument fields of a call, in schema order. */
export function argKeys(call: CallName): ArgKey[] {
  return Object.keys(OPENBSD_CALL_ARGS[call].shape) as ArgKey[];
}

const NUMERIC: ReadonlySet<ArgKey> = new Set(['offset', 'size', 'start', 'stop']);
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export type BuildResult = { ok: true; step: SpawnStep } | { ok: false; errors: FormErrors };

/** Validate the form against the call's schema; `taken` are thread names already used. */
export function buildSpawn(f: SpawnFields, taken: ReadonlySet<string>): BuildResult {
  const errors: FormErrors = {};
  const name = f.name.trim();
  if (!NAME.test(name)) errors.name = 'letters, digits, _ . - only (1 to 64)';
  else if (taken.has(name)) errors.name = `${name} is already used`;

  const args: Record<string, unknown> = {};
  for (const key of argKeys(f.call)) {
    if (NUMERIC.has(key)) {
      const text = f[key as 'offset' | 'size' | 'start' | 'stop'];
      // start and stop are optional: empty leaves them out (the engine's default 0).
      if ((key === 'start' || key === 'stop') && text.trim() === '') continue;
      const n = parseByteCount(text);
      if (n === null) errors[key] = 'enter a number of bytes: decimal or 0x hex';
      else args[key] = n;
    } else if (key === 'mount') {
      if (f.mount !== '') args.mount = f.mount;
    } else if (key === 'vnode') {
      if (!f.vnode) errors.vnode = 'no vnode to choose';
      else args.vnode = f.vnode;
    } else if (key === 'flags') {
      // In PGO_NAMES order, whatever order they were ticked in.
      args.flags = PGO_NAMES.filter((n) => f.flags.includes(n));
    } else {
      args[key] = f[key];
    }
  }
  const parsed = OPENBSD_CALL_ARGS[f.call].safeParse(args);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'vnode') as ArgKey;
      errors[key] ??= issue.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, step: { spawn: name, call: f.call, args: parsed.data as Record<string, unknown> } };
}
