/**
 * A tiny C tokenizer for the Source panel: enough to colour the seed file
 * (comments, strings, keywords, types, numbers, macros, function names) with
 * no dependency. Not a C parser: it works line by line, carrying only "inside
 * a block comment" from one line to the next, which is all KNF kernel source
 * needs. Concatenating a line's token texts gives the line back exactly.
 */

export type TokenKind =
  'comment' | 'string' | 'keyword' | 'type' | 'number' | 'macro' | 'func' | 'ident' | 'preproc' | 'plain';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const KEYWORDS = new Set([
  'break',
  'case',
  'continue',
  'default',
  'do',
  'else',
  'enum',
  'extern',
  'for',
  'goto',
  'if',
  'inline',
  'register',
  'return',
  'sizeof',
  'static',
  'struct',
  'switch',
  'typedef',
  'union',
  'volatile',
  'while',
  'const',
  'restrict',
  'auto',
]);

const TYPES = new Set([
  'void',
  'char',
  'short',
  'int',
  'long',
  'float',
  'double',
  'signed',
  'unsigned',
  '_Bool',
  'boolean_t',
  'u_int',
  'u_long',
  'u_short',
  'u_char',
]);

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)[uUlL]*/y;
const SPACE_THEN_PAREN = /\s*\(/y;
const MACRO = /^[A-Z][A-Z0-9_]+$/;

function identKind(word: string, line: string, end: number): TokenKind {
  if (KEYWORDS.has(word)) return 'keyword';
  if (TYPES.has(word) || word.endsWith('_t')) return 'type';
  if (MACRO.test(word)) return 'macro';
  SPACE_THEN_PAREN.lastIndex = end;
  if (SPACE_THEN_PAREN.test(line)) return 'func';
  return 'ident';
}

/** Index just past the closing quote (or the end of the line when unterminated). */
function stringEnd(line: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return line.length;
}

/** Tokenize one line, given whether it starts inside a block comment. */
export function tokenizeLine(line: string, inComment: boolean): { tokens: Token[]; inComment: boolean } {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    if (!text) return;
    const last = tokens[tokens.length - 1];
    // Merge runs of punctuation and white space: fewer nodes to render.
    if (last && last.kind === kind && (kind === 'plain' || kind === 'comment'))
      tokens[tokens.length - 1] = { kind, text: last.text + text };
    else tokens.push({ kind, text });
  };
  let i = 0;
  if (inComment) {
    const close = line.indexOf('*/');
    if (close < 0) return { tokens: line ? [{ kind: 'comment', text: line }] : [], inComment: true };
    push('comment', line.slice(0, close + 2));
    i = close + 2;
  }
  // A directive: `#` and its name (`#include`, `# define`) at the start of the line.
  const directive = i === 0 ? /^\s*#\s*[a-z]*/.exec(line) : null;
  let include = false;
  if (directive) {
    push('preproc', directive[0]);
    include = /include$/.test(directive[0]);
    i = directive[0].length;
  }
  while (i < line.length) {
    const c = line[i]!;
    if (c === '/' && line[i + 1] === '*') {
      const close = line.indexOf('*/', i + 2);
      if (close < 0) {
        push('comment', line.slice(i));
        return { tokens, inComment: true };
      }
      push('comment', line.slice(i, close + 2));
      i = close + 2;
    } else if (c === '/' && line[i + 1] === '/') {
      push('comment', line.slice(i));
      i = line.length;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(line, i, c);
      push('string', line.slice(i, end));
      i = end;
    } else if (c === '<' && include) {
      const close = line.indexOf('>', i);
      const end = close < 0 ? line.length : close + 1;
      push('string', line.slice(i, end));
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(line)![0];
      push(identKind(word, line, i + word.length), word);
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(line)![0];
      push('number', num);
      i += num.length;
    } else {
      push('plain', c);
      i++;
    }
  }
  return { tokens, inComment: false };
}

/** Tokenize a whole file: one token list per line (no trailing empty line for a final newline). */
export function tokenizeC(source: string): Token[][] {
  const lines = source.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const out: Token[][] = [];
  let inComment = false;
  for (const line of lines) {
    const r = tokenizeLine(line, inComment);
    out.push(r.tokens);
    inComment = r.inComment;
  }
  return out;
}

/**
 * Where each function is defined, KNF style: the name at the start of a line,
 * followed by `(` (the return type sits on the line above).
 */
export function functionDefinitions(source: string): Map<string, number> {
  const defs = new Map<string, number>();
  source.split('\n').forEach((line, i) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\(/.exec(line);
    if (m && !defs.has(m[1]!)) defs.set(m[1]!, i + 1);
  });
  return defs;
}
