/**
 * Issue 19's blockers: a patch that renames a C file, linted inside the
 * repository it came from; and an internal error in one file, which must
 * not lose the report of the others.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runBin, runCli, runJson } from '../support/cli.js';
import { ModelCache } from '../../src/engine/model-cache.js';

afterAll(cleanupTempDirs);
afterEach(() => vi.restoreAllMocks());

const LISTENER = `#include "qemu/osdep.h"

static void demo_region_add(MemoryListener *l, MemoryRegionSection *s)
{
    demo_dma_map(s);
}

static void demo_region_del(MemoryListener *l, MemoryRegionSection *s)
{
    demo_dma_unmap(s);
}
`;

function renameRepo(change: (text: string) => string = (t) => t): { repo: TestRepo; patch: string } {
  const repo = TestRepo.create();
  repo.commit('hw/demo: add the listener\n\nSigned-off-by: Ann Author <ann@example.org>', { 'hw/demo/helpers.c': LISTENER });
  repo.git('mv', 'hw/demo/helpers.c', 'hw/demo/listener.c');
  repo.write({ 'hw/demo/listener.c': change(LISTENER) });
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'hw/demo: rename helpers.c to listener.c\n\nSigned-off-by: Ann Author <ann@example.org>');
  return { repo, patch: repo.git('format-patch', '-1', '--stdout', 'HEAD') };
}

describe('a patch that renames a C file, inside the repository (issue 19, blocker 1)', () => {
  it('a pure rename (no index line, HEAD has only the new name) is checked diff-only, with a note, exit 0', async () => {
    const { repo, patch } = renameRepo();
    expect(patch).toContain('rename from hw/demo/helpers.c');
    expect(patch).not.toMatch(/^index /m);
    for (const args of [['-'], ['0001.patch']]) {
      repo.write({ '0001.patch': patch });
      const run = await runJson(args, { cwd: repo.dir, stdin: patch });
      expect(run.code).toBe(0);
      expect(run.findings).toEqual([]);
      expect(run.notes.join('\n')).toMatch(
        /hw\/demo\/listener\.c: renamed from hw\/demo\/helpers\.c, which is not at HEAD .* checked diff-only \(no line changed, nothing to check\)/,
      );
      expect(run.notes.join('\n')).not.toMatch(/^diff-only mode: no source tree/m);
    }
  });

  it('as the sendemail-validate hook runs it (a patch file, at the top of the work tree), the process exits 0', () => {
    const { repo, patch } = renameRepo();
    repo.write({ '0001-rename.patch': patch });
    const run = runBin(['0001-rename.patch'], { cwd: repo.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a rename with changes reads its pre-image from the index line blob the repository has', async () => {
    const { repo, patch } = renameRepo((t) => t.replace('demo_dma_unmap(s);', 'demo_dma_unmap(s);\n    demo_note(s);'));
    expect(patch).toMatch(/^index [0-9a-f]+\.\.[0-9a-f]+/m);
    const run = await runJson(['-'], { cwd: repo.dir, stdin: patch });
    expect(run.code).toBe(0);
    expect(run.notes.join('\n')).not.toMatch(/diff-only/);
    expect(run.summary.files).toBe(1);
  });

  it('a modified file missing at base is still an input error (exit 2)', async () => {
    const { repo } = renameRepo();
    const patch = [
      'diff --git a/hw/demo/gone.c b/hw/demo/gone.c',
      'index 1234567..89abcde 100644',
      '--- a/hw/demo/gone.c',
      '+++ b/hw/demo/gone.c',
      '@@ -1,2 +1,2 @@',
      ' int x;',
      '-int y;',
      '+int z;',
      '',
    ].join('\n');
    const run = await runCli(['-'], { cwd: repo.dir, stdin: patch });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/hw\/demo\/gone\.c: not found at HEAD/);
  });
});

/**
 * Hunk fragments of a register table (designated initializers cut from
 * their array, an `#else`/`#endif` without its `#if`): in a diff-only image
 * tree-sitter's error recovery nests them ~5 levels per entry, and asking
 * a MISSING token's parent there overflowed the wasm stack ("memory access
 * out of bounds" in ts_tree_delete, the whole report lost).
 */
export function registerTablePatch(entries: number, path = 'hw/misc/regs.c'): string {
  const lines = [
    '               .value = 1',
    '#else',
    '               .kind = KIND_B,',
    '-              .check = old_check,',
    '+              .check = new_check,',
    '               .read = reg_read',
    '#endif',
  ];
  for (let i = 0; i < entries; i++) {
    lines.push(`             { .name = "REG${i}", .kind = KIND_A,`);
    lines.push(`               .a = 3, .b = 0, .c = ${i % 8},`);
    lines.push('-              .check = old_check,');
    lines.push('+              .check = new_check,');
    lines.push(`               .value = GET_VALUE(s, REG${i}) },`);
  }
  const body = lines.map((l) => (l.startsWith('+') || l.startsWith('-') ? l : ` ${l.replace(/^ /, '')}`));
  const oldCount = body.filter((l) => !l.startsWith('+')).length;
  const newCount = body.filter((l) => !l.startsWith('-')).length;
  return [
    `diff --git a/${path} b/${path}`,
    'index 1111111..2222222 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -500,${oldCount} +500,${newCount} @@ static void regs_init(State *s)`,
    ...body,
    '',
  ].join('\n');
}

const SKIP_PATCH = `diff --git a/hw/demo/listener.c b/hw/demo/listener.c
index 1111111..2222222 100644
--- a/hw/demo/listener.c
+++ b/hw/demo/listener.c
@@ -10,6 +10,9 @@ static void demo_region_add(MemoryListener *l, MemoryRegionSection *s)
 {
     DemoState *d = container_of(l, DemoState, listener);
 
+    if (memory_region_is_ram_device(s->mr)) {
+        return;
+    }
     vfio_container_dma_map(d->container, s->offset, s->size);
 }
 
`;

describe('an internal error in one file (issue 19, blocker 2)', () => {
  it('a diff-only register-table patch outside any repository is checked, no internal error', () => {
    const dir = tempDir();
    const run = runBin(['-'], { cwd: dir, input: registerTablePatch(40) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/in 1 commit \(1 C file checked\)/);
  });

  it('with a second file in the same patch, both are checked and the other file keeps its report', () => {
    const dir = tempDir();
    const run = runBin(['--format', 'json', '-'], { cwd: dir, input: registerTablePatch(60) + SKIP_PATCH });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { summary: { files: number }; notes: string[] };
    expect(report.summary.files).toBe(2);
    expect(report.notes.join('\n')).not.toMatch(/not checked/);
  });

  it('a failure while modelling one file becomes a note "not checked: FILE: reason"; the rest is still reported', async () => {
    const real = ModelCache.prototype.get;
    vi.spyOn(ModelCache.prototype, 'get').mockImplementation(function (this: ModelCache, path, text, origin) {
      if (path === 'hw/misc/regs.c') throw new Error('simulated crash\nin the parser');
      return real.call(this, path, text, origin);
    });
    const dir = tempDir();
    const run = await runCli(['--format', 'json', '-'], { cwd: dir, stdin: registerTablePatch(3) + SKIP_PATCH });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { findings: { file: string; ruleId: string }[]; notes: string[]; summary: { files: number } };
    expect(report.notes).toContain('not checked: hw/misc/regs.c: simulated crash in the parser');
    expect(report.summary.files).toBe(1);
    expect(run.code).toBe(report.findings.some((f) => f.ruleId === 'skip-asymmetry') ? 1 : 0);
  });

  it('in checkpatch format (b4), a file not checked is a WARNING line, never a silent pass', async () => {
    vi.spyOn(ModelCache.prototype, 'get').mockImplementation(() => {
      throw new Error('simulated crash');
    });
    const run = await runCli(['--format', 'checkpatch', '-'], { cwd: tempDir(), stdin: registerTablePatch(3) });
    expect(run.stdout).toBe('WARNING: not checked: hw/misc/regs.c: simulated crash [pairlint]\n');
  });
});

describe('npm run sweep (the pairs history as patches, both modes)', () => {
  it('runs every commit of a repository as a patch outside it and inside it, and counts no failure', { timeout: 120_000 }, () => {
    const repo = TestRepo.create();
    repo.commit('hw/demo: add the listener\n\nSigned-off-by: Ann Author <ann@example.org>', { 'hw/demo/helpers.c': LISTENER });
    repo.git('mv', 'hw/demo/helpers.c', 'hw/demo/listener.c');
    repo.git('commit', '-q', '-m', 'hw/demo: rename\n\nSigned-off-by: Ann Author <ann@example.org>');
    // the register-table fragment as a file of its own: a commit adding it is diff-only's worst case
    const fragment = registerTablePatch(40)
      .split('\n')
      .filter((l) => /^[ +]/.test(l) && !l.startsWith('+++'))
      .map((l) => l.slice(1))
      .join('\n');
    repo.commit('hw/misc: add the register table\n\nSigned-off-by: Ann Author <ann@example.org>', { 'hw/misc/regs.c': `${fragment}\n` });
    const out = join(tempDir(), 'sweep.json');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'build', 'scripts', 'sweep.js'), '--repo', repo.dir, '--branch', 'main', '--json', out], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { commits: number; failures: unknown[]; exitCodes: Record<string, Record<string, number>> };
    expect(result.commits).toBe(3);
    expect(result.failures).toEqual([]);
    expect(Object.keys(result.exitCodes)).toEqual(['diff-only', 'repo']);
  });
});
