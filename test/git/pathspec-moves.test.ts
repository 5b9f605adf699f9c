/**
 * Range mode with a pathspec: git log hides the other half of a move that
 * crosses the pathspec, so pairlint reads the whole commit's diff
 * (--full-diff) and keeps the files outside the pathspec as context only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from './helpers.js';
import { runJson } from '../support/cli.js';
import { SKIP_IN_ADD } from '../support/listener-skip.js';
import { pathspecMatcher } from '../../src/git/pathspec.js';

afterAll(cleanupTempDirs);

/** A listener whose region_add already skips the map for marked regions while region_del unmaps them. */
const SKIPPING = SKIP_IN_ADD;

const pairFindings = (r: Awaited<ReturnType<typeof runJson>>) => r.findings.filter((f) => f.category === 'pair');

describe('range mode with a pathspec', () => {
  it('does not report code moved into the pathspec from outside it', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/misc/fx-listener.c': SKIPPING, 'hw/fx/README': 'fx\n' });
    repo.commit('fx: move the listener into hw/fx', { 'hw/misc/fx-listener.c': null, 'hw/fx/listener.c': SKIPPING });
    const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--', 'hw/fx']);
    expect(pairFindings(report)).toEqual([]);
    // only the file the pathspec selects counts as checked
    expect(report.summary.files).toBe(1);
  });

  it('reads a file outside the pathspec that the moved functions came from (no rename: it keeps other code)', async () => {
    const repo = TestRepo.create();
    const rest = Array.from({ length: 40 }, (_, i) => `static int fx_misc_helper_${i}(int x)\n{\n    return x + ${i};\n}\n`).join('\n');
    repo.commit('base', { 'hw/misc/fx.c': `${SKIPPING}\n${rest}`, 'hw/misc/other.c': `${rest}`, 'hw/fx/README': 'fx\n' });
    repo.commit('fx: move the listener into hw/fx', {
      'hw/misc/fx.c': rest,
      // a context file that holds no moved function: not needed for the move
      'hw/misc/other.c': rest.replace('x + 1;', 'x + 101;'),
      'hw/fx/listener.c': SKIPPING,
    });
    const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--', 'hw/fx']);
    expect(pairFindings(report)).toEqual([]);
    expect(report.summary.files).toBe(1);
  });

  it('still reports the same code when the commit writes it new', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/README': 'fx\n' });
    repo.commit('fx: add a listener', { 'hw/fx/listener.c': SKIPPING });
    const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--', 'hw/fx']);
    expect(pairFindings(report).map((f) => f.ruleId)).toContain('skip-asymmetry');
  });

  it('reports nothing in the files outside the pathspec', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/misc/other.c': '/* other */\n', 'hw/fx/README': 'fx\n' });
    repo.commit('fx: add listeners in two places', { 'hw/misc/listener.c': SKIPPING, 'hw/fx/README': 'fx v2\n' });
    const report = await runJson(['HEAD~1..HEAD', '-C', repo.dir, '--', 'hw/fx']);
    expect(report.findings.filter((f) => f.file.startsWith('hw/misc/'))).toEqual([]);
  });
});

describe('pathspecMatcher', () => {
  it('matches paths, directories and wildcards as git does, relative to the prefix', () => {
    const m = pathspecMatcher(['hw/vfio', 'include/*.h', 'docs/'], '');
    expect(m?.matches('hw/vfio/pci.c')).toBe(true);
    expect(m?.matches('hw/vfio')).toBe(true);
    expect(m?.matches('hw/vfio-user/pci.c')).toBe(false);
    expect(m?.matches('include/hw/vfio/vfio.h')).toBe(true); // git's * crosses /
    expect(m?.matches('docs/x.txt')).toBe(true);
    expect(pathspecMatcher(['pci.c'], 'hw/vfio')?.matches('hw/vfio/pci.c')).toBe(true);
    expect(pathspecMatcher(['../misc'], 'hw/vfio')?.matches('hw/misc/a.c')).toBe(true);
  });

  it('leaves pathspec magic to git', () => {
    expect(pathspecMatcher([':(glob)hw/**/*.c'], '')).toBeNull();
    expect(pathspecMatcher([':!hw/vfio'], '')).toBeNull();
    expect(pathspecMatcher([], '')).toBeNull();
  });
});
