import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/cmodel/calls.js';
import { resolveGrammarWasm, resolveRuntimeWasm } from '../../src/cmodel/loader.js';
import { blankAttributeMacros, normalizeC } from '../../src/cmodel/text.js';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';

afterAll(cleanupTempDirs);

describe('normalizeC', () => {
  it('drops comments and collapses whitespace, keeping literals', () => {
    expect(normalizeC('  a /* x\n y */ +\n\t b // tail\n')).toBe('a + b');
    expect(normalizeC('f("a  /* b */  c", \'\\\'\')')).toBe('f("a  /* b */  c", \'\\\'\')');
    expect(normalizeC('x = "unterminated')).toBe('x = "unterminated');
    expect(normalizeC('/* open comment')).toBe('');
  });
});

describe('splitArgs', () => {
  it('splits on top-level commas only', () => {
    expect(splitArgs('(a, f(b, c), "x,y", s[1, 2], { 1, 2 }, \',\')')).toEqual(['a', 'f(b, c)', '"x,y"', 's[1, 2]', '{ 1, 2 }', "','"]);
    expect(splitArgs('()')).toEqual([]);
    expect(splitArgs('( a /* , */ ,\n b )')).toEqual(['a', 'b']);
  });
});

describe('blankAttributeMacros', () => {
  it('keeps length and lines', () => {
    const t = 'static void G_GNUC_PRINTF(1, 2) coroutine_fn f(Error **errp G_GNUC_UNUSED) __attribute__((unused(x)))\n';
    const b = blankAttributeMacros(t);
    expect(b).toHaveLength(t.length);
    expect(b.replace(/ +/g, ' ')).toBe('static void f(Error **errp ) \n');
    expect(blankAttributeMacros('plain')).toBe('plain');
  });
});

describe('wasm location', () => {
  const saved = { c: process.env.PAIRLINT_C_WASM, ts: process.env.PAIRLINT_TS_WASM };
  afterEach(() => {
    if (saved.c === undefined) delete process.env.PAIRLINT_C_WASM;
    else process.env.PAIRLINT_C_WASM = saved.c;
    if (saved.ts === undefined) delete process.env.PAIRLINT_TS_WASM;
    else process.env.PAIRLINT_TS_WASM = saved.ts;
  });

  it('finds the grammar in node_modules, and honours options and env overrides', () => {
    delete process.env.PAIRLINT_C_WASM;
    delete process.env.PAIRLINT_TS_WASM;
    expect(String(resolveGrammarWasm())).toMatch(/tree-sitter-c[\\/]tree-sitter-c\.wasm$/);
    expect(resolveRuntimeWasm()).toBeNull();
    const dir = tempDir('pairlint-wasm-');
    const copy = join(dir, 'c.wasm');
    copyFileSync(String(resolveGrammarWasm()), copy);
    process.env.PAIRLINT_C_WASM = copy;
    process.env.PAIRLINT_TS_WASM = join(dir, 'ts.wasm');
    expect(resolveGrammarWasm()).toBe(copy);
    expect(resolveRuntimeWasm()).toBe(join(dir, 'ts.wasm'));
    expect(resolveGrammarWasm({ grammarWasm: '/x/y.wasm' })).toBe('/x/y.wasm');
    const bytes = new Uint8Array([0]);
    expect(resolveRuntimeWasm({ runtimeWasm: bytes })).toBe(bytes);
  });
});
