/**
 * The name index that decides whether a context file of a pathspec range may
 * hold the other half of a move: every function the C model finds defined
 * must be in it (else a move would be missed), and calls inside bodies must
 * not be (else every caller would be read).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { depthZeroCallNames, mayDefineAny } from '../../src/engine/name-index.js';
import { baseFiles, renderFile } from '../../scripts/bench-repo.js';
import { modelOf, repoRoot } from '../cmodel/helpers.js';

describe('depthZeroCallNames', () => {
  it('holds definitions and prototypes, not calls in bodies, comments, strings or directives', () => {
    const text = [
      '#include "qemu/osdep.h"',
      '#define M(a) helper_in_macro(a)',
      'static void proto(int x);',
      '/* commented(void) { */',
      'static const char *s = "quoted(";',
      'static void',
      'defined_here(void)',
      '{',
      '    called_inside(1);',
      '    if (x) { nested_call(); }',
      '}',
      'int __attribute__((unused)) attributed (int y)',
      '{',
      "    char c = '}';",
      '    return y;',
      '}',
    ].join('\n');
    const names = depthZeroCallNames(text);
    expect(names).not.toBeNull();
    expect([...(names as Set<string>)].sort()).toEqual(['__attribute__', 'attributed', 'defined_here', 'proto'].sort());
  });

  it('follows #if branches from the depth at #if, and proves nothing when they disagree', () => {
    const both = ['#ifdef CONFIG_A', 'void f_a(void)', '{', '#else', 'void f_b(void)', '{', '#endif', '    g();', '}'].join('\n');
    expect([...(depthZeroCallNames(both) as Set<string>)].sort()).toEqual(['f_a', 'f_b']);
    const unbalanced = ['#ifdef CONFIG_A', 'void f_a(void)', '{', '#endif', '    g();', '}'].join('\n');
    expect(depthZeroCallNames(unbalanced)).toBeNull();
    // the fallback: any `name (` in the text
    expect(mayDefineAny(unbalanced, new Set(['g']))).toBe(true);
    expect(mayDefineAny(unbalanced, new Set(['h']))).toBe(false);
  });

  it('mayDefineAny: a caller does not hold the function, a definition does', () => {
    const caller = 'static void user(void)\n{\n    moved_fn(1);\n}\n';
    const holder = 'static void moved_fn(int x)\n{\n}\n';
    expect(mayDefineAny(caller, new Set(['moved_fn']))).toBe(false);
    expect(mayDefineAny(holder, new Set(['moved_fn']))).toBe(true);
    expect(mayDefineAny(holder, new Set())).toBe(false);
  });

  it('holds every function the C model defines, on every C fixture and generated QEMU-like file', async () => {
    const texts: [string, string][] = [];
    for (const dir of ['cmodel', 'rules']) {
      const at = join(repoRoot, 'test', 'fixtures', dir);
      for (const f of readdirSync(at).filter((x) => /\.[ch]$/.test(x))) texts.push([`${dir}/${f}`, readFileSync(join(at, f), 'utf8')]);
    }
    for (const f of baseFiles(0x5eed)) texts.push([f.path, renderFile(f)]);
    let checked = 0;
    for (const [path, text] of texts) {
      const model = await modelOf(text, path);
      const defined = new Set(model.functions.map((fn) => fn.name));
      for (const name of defined) expect(mayDefineAny(text, new Set([name])), `${path}: ${name}`).toBe(true);
      checked += defined.size;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
