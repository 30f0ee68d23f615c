/**
 * Static facts about the seed and the engine's line tags, for the seed-coverage report and its test:
 * which seed lines the engine tags (`yield N` in src/engine/openbsd), where each seed function starts and
 * ends, and which statement lines of the seed carry no tag at all. Pure functions over source text.
 */

export interface SeedFunction {
  name: string;
  /** Line of the function's name (the line after its return type). */
  first: number;
  /** Line of the brace that opens its body. */
  open: number;
  /** Line of its closing brace. */
  last: number;
}

/** Every `yield N` (N a seed line) in the given engine sources. */
export function taggedSeedLines(sources: readonly string[]): Set<number> {
  const lines = new Set<number>();
  for (const text of sources) for (const m of text.matchAll(/\byield (\d+);/g)) lines.add(Number(m[1]));
  // `for (const line of [1204, 1205, ...]) yield line;` tags a run of lines in one statement.
  for (const text of sources)
    for (const m of text.matchAll(/for \(const \w+ of \[([\d,\s]+)\]\) yield \w+;/g))
      for (const n of m[1]!.split(',')) lines.add(Number(n.trim()));
  return lines;
}

/** Functions defined in the seed: a name at column 0 followed by `(`, up to the next `}` at column 0. */
export function seedFunctions(seedText: string): SeedFunction[] {
  const lines = seedText.split('\n');
  const functions: SeedFunction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_]\w*)\(/.exec(lines[i]!);
    if (!m) continue;
    // A prototype or a macro use ends with `;` before any body opens; a definition reaches `{` at column 0.
    let j = i;
    while (j < lines.length && lines[j] !== '{' && !lines[j]!.trimEnd().endsWith(';')) j++;
    if (lines[j] !== '{') continue;
    let k = j + 1;
    while (k < lines.length && lines[k] !== '}') k++;
    functions.push({ name: m[1]!, first: i + 1, open: j + 1, last: k + 1 });
    i = k;
  }
  return functions;
}

/** The seed's lines with comments blanked out (line numbers kept). */
function stripComments(seedText: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of seedText.split('\n')) {
    let code = '';
    for (let i = 0; i < line.length; i++) {
      if (inBlock) {
        if (line.startsWith('*/', i)) {
          inBlock = false;
          i++;
        }
      } else if (line.startsWith('/*', i)) {
        inBlock = true;
        i++;
      } else if (line.startsWith('//', i)) break;
      else code += line[i];
    }
    out.push(code.trim());
  }
  return out;
}

const DECLARATION =
  /^(struct|const|int|u_quad_t|boolean_t|voff_t|vaddr_t|off_t|size_t|vm_page_t|vm_prot_t|vm_object_t|vm_ooffset_t|vm_offset_t|vm_pindex_t|vm_page_bits_t|daddr_t)\b/;

function depthChange(code: string): number {
  let d = 0;
  for (const c of code) d += c === '(' ? 1 : c === ')' ? -1 : 0;
  return d;
}

/**
 * Lines inside function bodies where a C statement starts, found by a heuristic good enough for this
 * seed: a code line that follows a finished statement, a block brace, a label or a complete control
 * header; blank, comment, brace-only, `else`, label and preprocessor lines are not statements, and
 * neither are declarations without an initializer or `static` declarations (initialized at load time).
 */
export function seedStatementLines(seedText: string): number[] {
  const code = stripComments(seedText);
  const statements: number[] = [];
  for (const fn of seedFunctions(seedText)) {
    let depth = 0;
    let ended = true;
    // The statement being read opened with if/for/while: it ends at its closing parenthesis.
    let header = false;
    for (let n = fn.open + 1; n < fn.last; n++) {
      const text = code[n - 1]!;
      if (text === '' || text.startsWith('#')) continue;
      const startsStatement = depth === 0 && ended;
      if (startsStatement) header = /^(}\s*)?(else\b|if\b|for\b|while\b|switch\b)/.test(text);
      depth += depthChange(text);
      ended = depth === 0 && (/[;{}:]$/.test(text) || (header && /(\)|else)$/.test(text)));
      if (!startsStatement) continue;
      if (/^[{}]+$/.test(text) || /^}?\s*else\s*{?$/.test(text) || /^\w+:$/.test(text)) continue;
      if (text.startsWith('static ')) continue;
      if (DECLARATION.test(text) && !text.includes('=')) continue;
      statements.push(n);
    }
  }
  return statements;
}
