/**
 * What keeps long ranges fast and flat: each file image is modelled once (the
 * post-image of one commit is the pre-image of the next), line lookups are
 * logarithmic, and what the lint loop keeps owns its strings.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initCParser } from '../../src/cmodel/parse.js';
import { ChangedFile } from '../../src/model/changed-file.js';
import { detached } from '../../src/engine/detach.js';
import { ModelCache, incrementalBuildCount, modelBuildCount } from '../../src/engine/model-cache.js';
import { PairTable, builtinPairData } from '../../src/pairs/table.js';
import type { FileDiff, HunkLine } from '../../src/series/model.js';
import { generateRepo } from '../../scripts/bench-repo.js';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, type JsonReport } from '../support/cli.js';

afterAll(cleanupTempDirs);

describe('model reuse', () => {
  it('a cache hands back the model of an image it has seen, per path', async () => {
    await initCParser();
    const cache = new ModelCache(2, 2);
    const a = cache.get('a.c', 'int f(void) { return 0; }\n');
    expect(cache.get('a.c', `int f(void) { return ${0}; }\n`)).toBe(a);
    expect(cache.get('b.c', 'int f(void) { return 0; }\n')).not.toBe(a);
    expect(cache.built).toBe(2);
    cache.get('a.c', 'int g;\n');
    cache.get('a.c', 'int h;\n');
    // the first image of a path is kept for the squashed-series check; later ones are dropped
    cache.get('a.c', 'int f(void) { return 0; }\n');
    expect(cache.built).toBe(4);
    cache.get('a.c', 'int i;\n');
    cache.get('a.c', 'int g;\n');
    expect(cache.built).toBe(6);
  });

  it('an image after a revert builds on the newest tree of its path, with the model a scratch parse gives', async () => {
    await initCParser();
    const a = 'static int f(void)\n{\n    return 0;\n}\n\nstatic int g(void)\n{\n    return 1;\n}\n';
    const b = a.replace('return 1;', 'foo();\n    return 1;');
    const c = a.replace('return 0;', 'bar();\n    return 0;');
    const cache = new ModelCache();
    const incrementalBefore = incrementalBuildCount();
    cache.get('a.c', a);
    cache.get('a.c', b, { text: a, edits: [{ oldStart: 8, oldEnd: 8, newStart: 8, newEnd: 9 }] });
    // a revert: `a` again (a cache hit); then a commit on top of it, whose
    // origin (a) no longer holds a tree: b's tree is the path's newest
    expect(cache.get('a.c', a).functions.map((f) => f.name)).toEqual(['f', 'g']);
    const model = cache.get('a.c', c, { text: a, edits: [{ oldStart: 3, oldEnd: 3, newStart: 3, newEnd: 4 }] });
    expect(incrementalBuildCount() - incrementalBefore).toBe(2);
    expect(cache.built).toBe(3);
    const scratch = new ModelCache().get('a.c', c);
    expect({ functions: model.functions, initializers: model.initializers, errors: model.errorLines }).toEqual({
      functions: scratch.functions,
      initializers: scratch.initializers,
      errors: scratch.errorLines,
    });
    expect(model.functions[0]?.calls.map((k) => k.callee)).toEqual(['bar']);
  });

  it('a range builds one model per commit and file, not one per rule or per side', async () => {
    const dir = tempDir('pairlint-scale-');
    const repo = generateRepo(dir, 40);
    const before = modelBuildCount();
    const incrementalBefore = incrementalBuildCount();
    const run = await runCli(['-C', dir, `${repo.shas[0]}..HEAD`, '--format', 'json']);
    expect([0, 1]).toContain(run.code);
    const report = JSON.parse(run.stdout) as JsonReport;
    const built = modelBuildCount() - before;
    // every image but the first of each file is built from the newest tree of
    // its path, even after a commit that restored an older image (a revert)
    expect(built - (incrementalBuildCount() - incrementalBefore)).toBeLessThanOrEqual(repo.files.length);
    // one post-image per C file per commit, the first pre-image of each file,
    // and the squashed-series check (at most a base and a final image per file)
    expect(built).toBeLessThanOrEqual(report.summary.files + 3 * repo.files.length);
    expect(built).toBeGreaterThanOrEqual(report.summary.files);
  }, 60_000);
});

describe('line lookups', () => {
  it('addedIn / removedIn agree with a scan, on a large diff', () => {
    const lines: HunkLine[] = [];
    const added: number[] = [];
    const removed: number[] = [];
    let oldNo = 1;
    let newNo = 1;
    for (let i = 0; i < 20000; i++) {
      const r = (i * 7919) % 11;
      if (r === 0) {
        lines.push({ kind: '+', text: 'x', newLine: newNo });
        added.push(newNo++);
      } else if (r === 1) {
        lines.push({ kind: '-', text: 'y', oldLine: oldNo });
        removed.push(oldNo++);
      } else lines.push({ kind: ' ', text: 'z', oldLine: oldNo++, newLine: newNo++ });
    }
    const diff: FileDiff = {
      oldPath: 'a.c',
      newPath: 'a.c',
      status: 'modified',
      binary: false,
      modeOnly: false,
      hunks: [{ index: 1, oldStart: 1, oldLines: oldNo - 1, newStart: 1, newLines: newNo - 1, section: '', lines, oldNoNewlineAtEnd: false, newNoNewlineAtEnd: false }],
    };
    const file = new ChangedFile(diff, 'full', null, null, new PairTable(builtinPairData()));
    const scan = (xs: number[], a: number, b: number) => xs.some((x) => x >= a && x <= b);
    for (let from = -3; from < newNo + 3; from += 5) {
      for (const width of [0, 1, 4, 30]) {
        expect(file.addedIn(from, from + width)).toBe(scan(added, from, from + width));
        expect(file.removedIn(from, from + width)).toBe(scan(removed, from, from + width));
      }
    }
    expect(file.addedIn(10, 5)).toBe(false);
  });
});

describe('detached copies', () => {
  it('are equal, and not the same objects', () => {
    const big = 'x'.repeat(100_000);
    const finding = { file: 'a.c', function: big.slice(10, 40), related: [{ line: 1, message: `m ${big.slice(0, 20)}` }], endLine: undefined };
    const copy = detached(finding);
    expect(copy).toEqual(finding);
    expect(copy).not.toBe(finding);
    expect(copy.related).not.toBe(finding.related);
  });
});
