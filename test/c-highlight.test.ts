import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionDefinitions, tokenizeC, tokenizeLine, type Token } from '../src/viz/c-highlight';

const kinds = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);

describe('tokenizeLine', () => {
  it('classifies keywords, types, macros, functions, numbers and identifiers', () => {
    const { tokens } = tokenizeLine('\tif ((pp = uvm_pagelookup(uobj, 0x1000)) == NULL) return 42UL;', false);
    expect(kinds(tokens)).toEqual([
      'keyword:if',
      'ident:pp',
      'func:uvm_pagelookup',
      'ident:uobj',
      'number:0x1000',
      'macro:NULL',
      'keyword:return',
      'number:42UL',
    ]);
  });

  it('treats *_t and primitive names as types', () => {
    const { tokens } = tokenizeLine('static voff_t off; unsigned int n;', false);
    expect(kinds(tokens)).toEqual([
      'keyword:static',
      'type:voff_t',
      'ident:off',
      'type:unsigned',
      'type:int',
      'ident:n',
    ]);
  });

  it('reads strings with escapes and char literals', () => {
    const { tokens } = tokenizeLine('printf("a \\"q\\" b\\n", \'x\');', false);
    expect(kinds(tokens)).toEqual(['func:printf', 'string:"a \\"q\\" b\\n"', "string:'x'"]);
  });

  it('keeps an apostrophe inside a comment in the comment', () => {
    const { tokens, inComment } = tokenizeLine("x = 1; /* sync'd */ y", false);
    expect(kinds(tokens)).toEqual(['ident:x', 'number:1', "comment:/* sync'd */", 'ident:y']);
    expect(inComment).toBe(false);
  });

  it('carries an open block comment to the next line', () => {
    const a = tokenizeLine('a; /* starts', false);
    expect(a.inComment).toBe(true);
    const b = tokenizeLine(' * still "not a string" */ b', true);
    expect(kinds(b.tokens)).toEqual(['comment: * still "not a string" */', 'ident:b']);
    expect(b.inComment).toBe(false);
    expect(tokenizeLine(' * middle', true)).toEqual({
      tokens: [{ kind: 'comment', text: ' * middle' }],
      inComment: true,
    });
  });

  it('reads a line comment to the end', () => {
    expect(kinds(tokenizeLine('x; // rest "x"', false).tokens)).toEqual(['ident:x', 'comment:// rest "x"']);
  });

  it('marks preprocessor directives and include paths', () => {
    expect(kinds(tokenizeLine('#include <sys/param.h>', false).tokens)).toEqual([
      'preproc:#include',
      'string:<sys/param.h>',
    ]);
    expect(kinds(tokenizeLine('#ifdef DEBUG', false).tokens)).toEqual(['preproc:#ifdef', 'macro:DEBUG']);
    // `<` outside an include is an operator.
    expect(kinds(tokenizeLine('if (a < b)', false).tokens)).toEqual(['keyword:if', 'ident:a', 'ident:b']);
  });

  it('merges white space and punctuation into one plain token', () => {
    expect(tokenizeLine('a  ->  b', false).tokens).toEqual([
      { kind: 'ident', text: 'a' },
      { kind: 'plain', text: '  ->  ' },
      { kind: 'ident', text: 'b' },
    ]);
  });
});

describe('tokenizeC on the seed', () => {
  const seed = readFileSync(new URL('../public/seeds/uvm_vnode.c', import.meta.url), 'utf8');
  const lines = tokenizeC(seed);

  it('gives one token list per line and loses no character', () => {
    const source = seed.split('\n');
    source.pop(); // the final newline
    expect(lines).toHaveLength(1525);
    lines.forEach((tokens, i) => expect(tokens.map((t) => t.text).join('')).toBe(source[i]));
  });

  it('sees the license header as one comment', () => {
    for (let i = 3; i < 41; i++) expect(lines[i]!.every((t) => t.kind === 'comment')).toBe(true);
  });

  it('finds function definitions at the start of a line', () => {
    const defs = functionDefinitions(seed);
    expect(defs.get('uvn_attach')).toBe(139);
    expect(defs.get('uvn_flush')).toBe(597);
    expect(defs.get('uvn_io')).toBe(1139);
  });
});
