/**
 * Helpers the corpus is written with: a valid scenario to break, the column of a piece of text (every
 * JSON error names its line and column), and the case type.
 */

export interface HostileCase {
  /** Unique, kebab-case: the test's name and the file name when it is run as a separate process. */
  readonly name: string;
  /** The file's contents: text (written as UTF-8), raw bytes, or a generator for a huge input. */
  readonly input: string | Uint8Array | (() => string | Uint8Array);
  /** Exit code: 0 applied, 2 refused (invalid scenario or impossible step). */
  readonly code: 0 | 2;
  /** The one line on standard error, without its newline ('' when nothing is printed). */
  readonly stderr: string;
  /** Digest lines on standard output: 0 for an invalid scenario, the steps before an impossible one + 1. */
  readonly digests: number;
  /** Needs a "freebsd" pager registered (its setup keys are validated by the same reader). */
  readonly freebsd?: boolean;
}

export const FORMAT = 'pager-scenario/1';
export const VN1 = { name: 'vn1', size: 16384 };
export const ATTACH = { spawn: 't1', call: 'uvn_attach', args: { vnode: 'vn1', prot: 'rw' } };

/** A scenario's text: the OpenBSD envelope with one 16 KiB vnode, `over` replacing any of its keys. */
export function doc(steps: unknown[], over: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: FORMAT, pager: 'openbsd', vnodes: [VN1], steps, ...over });
}

/** The text of a scenario whose steps are `[ATTACH, {run t1}, ...more]`. */
export function afterAttach(...more: unknown[]): string {
  return doc([ATTACH, { run: 't1' }, ...more]);
}

/** A FreeBSD scenario's text with no steps. */
export function freebsdDoc(over: Record<string, unknown>): string {
  return JSON.stringify({
    format: FORMAT,
    pager: 'freebsd',
    vnodes: [{ name: 'vn1', size: 40000 }],
    steps: [],
    ...over,
  });
}

/** Where the `nth` (0-based) occurrence of `needle` starts in a one-line text, as the parser says it. */
export function at(text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let n = 0; n <= nth; n++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`corpus: ${JSON.stringify(needle)} not in the text`);
  }
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  return `line ${line}, column ${i - before.lastIndexOf('\n')}`;
}

/** `text` with the first `from` replaced by `to` (for hand-broken JSON). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`corpus: ${JSON.stringify(from)} not in the text`);
  return text.replace(from, () => to);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? utf8(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The call names of the OpenBSD profile as `choice` lists them in a message. */
export const OPENBSD_CALLS_MESSAGE =
  'must be "uvn_attach", "mmap", "uvn_reference", "uvn_detach", "uvn_flush", "fault", "uvm_vnp_terminate", ' +
  '"uvm_vnp_uncache", "uvm_vnp_setsize", "uvm_vnp_sync", "vref", "vrele", "recycle" or "revoke"';

export const PGO_MESSAGE =
  'must be "PGO_CLEANIT", "PGO_SYNCIO", "PGO_DEACTIVATE", "PGO_FREE", "PGO_ALLPAGES", "PGO_DOACTCLUST", ' +
  '"PGO_LOCKED", "PGO_PDFREECLUST", "PGO_REALLOCSWAP" or "PGO_NOWAIT"';

export const ESCAPES_MESSAGE = '(JSON has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)';
