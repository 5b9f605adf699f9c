/**
 * Lines surely outside every function (a lexical scan, no parse): never a
 * line the C model puts in a function; a commit that changes only such lines
 * builds no model. (That the findings stay the same on real data is what
 * `npm run findings -- --check` shows.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ParsedImage, initCParser } from '../../src/cmodel/parse.js';
import { linesOutsideFunctions } from '../../src/engine/outside-functions.js';
import { modelBuildCount } from '../../src/engine/model-cache.js';
import { baseFiles, git, prng, renderFile } from '../../scripts/bench-repo.js';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, type JsonReport } from '../support/cli.js';

afterAll(cleanupTempDirs);

const outside = (text: string): number[] | null => {
  const o = linesOutsideFunctions(text);
  return o === null ? null : [...o.keys()].filter((l) => o[l] === 1);
};

describe('linesOutsideFunctions', () => {
  it('marks blank lines, comments and directives between items, and nothing in or before a body', () => {
    const text = [
      '#include "qemu/osdep.h"', // 1
      '', // 2
      '/* a comment', // 3
      ' * more */', // 4
      'static int x;', // 5
      '// one line', // 6
      'static void', // 7
      '', // 8: between the header and its body
      'f(void)', // 9
      '{', // 10
      '', // 11
      '    /* { */', // 12
      '}', // 13
      '#define M(a) \\', // 14
      '    { a; }', // 15
      'static const char *s = "}";', // 16
      '', // 17
    ].join('\n');
    expect(outside(text)).toEqual([1, 2, 3, 4, 6, 14, 15, 17]);
  });

  it('checks that the branches of a conditional group agree, and starts each from the #if', () => {
    const agree = ['void f(void)', '{', '    if (a) {', '#ifdef X', '    }', '#else', '    }', '#endif', '', '}', '', ''].join('\n');
    // line 9 is inside f (depth 1 after the group): not outside
    expect(outside(agree)).not.toContain(9);
    expect(outside(agree)).toContain(11);
    const differ = ['#ifdef X', 'void f(void) {', '#else', 'void g(void) {', '#endif', '}', ''].join('\n');
    expect(outside(differ)).not.toBeNull();
    const unbalanced = ['#ifdef X', '}', '#endif', ''].join('\n');
    expect(outside(unbalanced)).toBeNull();
    const mismatch = ['#ifdef X', 'void f(void) {', '#else', 'int x;', '#endif', '}', ''].join('\n');
    expect(outside(mismatch)).toBeNull();
  });

  it('proves nothing for a file that ends inside a block or a comment', () => {
    expect(outside('void f(void) {\n')).toBeNull();
    expect(outside('/* open\n')).toBeNull();
    expect(outside('}\n')).toBeNull();
  });

  it('never marks a line the C model puts in a function (generated files, mutated)', async () => {
    await initCParser();
    const rng = prng(11);
    for (const file of baseFiles(0x5eed)) {
      const lines = renderFile(file).split('\n');
      for (let round = 0; round < 6; round++) {
        // stir: headers split, comments and directives between items and inside bodies
        const copy = [...lines];
        for (let k = 0; k < 30; k++) {
          const at = Math.floor(rng() * copy.length);
          const what = Math.floor(rng() * 5);
          const ins = ['', '/* note { */', '#include "x.h"', '#ifdef CONFIG_X', '// }'][what] as string;
          copy.splice(at, 0, ins);
          if (what === 3) copy.splice(Math.min(copy.length, at + 1 + Math.floor(rng() * 40)), 0, '#endif');
        }
        const text = copy.join('\n');
        const model = ParsedImage.parse(file.path, text).model;
        const out = linesOutsideFunctions(text);
        if (out === null) continue;
        for (let l = 1; l < out.length; l++) {
          if (out[l] === 1) expect(model.functionAt(l), `${file.path} line ${l}: ${copy[l - 1]}`).toBeNull();
        }
      }
    }
  });
});

describe('commits that touch no function', () => {
  it('build no C model, and report nothing', async () => {
    await initCParser();
    const dir = tempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    const files = baseFiles(0x5eed);
    const write = (path: string, text: string) => {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    for (const f of files) write(f.path, renderFile(f));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'base']);
    const root = git(dir, ['rev-parse', 'HEAD']).trim();
    // a header move: only #include lines and a comment, in every file
    for (const f of files) write(f.path, renderFile(f).replace('#include "system/memory.h"', '#include "system/memory-moved.h"\n/* moved */'));
    git(dir, ['commit', '-q', '-am', 'move memory.h\n\nSigned-off-by: Bench Author <bench@example.org>']);
    const before = modelBuildCount();
    const run = await runCli(['-C', dir, `${root}..HEAD`, '--format', 'json']);
    expect(modelBuildCount() - before).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary.files).toBe(files.length);
    expect(report.findings).toEqual([]);
    expect(run.code).toBe(0);
  });
});
