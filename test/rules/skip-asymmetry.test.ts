import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit } from '../support/fixtures.js';
import { LISTENER, SKIP_IN_ADD } from '../support/listener-skip.js';
import { SOB } from '../support/messages.js';

afterAll(cleanupTempDirs);

const BASE = LISTENER;
const PATH = 'hw/fx/listener.c';

const MIRROR_IN_DEL = edit(
  SKIP_IN_ADD,
  '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));\n',
  '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));\n' +
    '        if (memory_region_skip_iommu_map(section->mr)) {\n            try_unmap = false;\n        }\n',
);

/** Lint the commit that turns BASE into `after` in a fresh repository. */
async function lintChange(after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit(`change\n\n${SOB}`, { [PATH]: after });
  return runJson(['HEAD~1..HEAD', '-C', repo.dir]);
}

const skips = (r: Awaited<ReturnType<typeof lintChange>>) => r.findings.filter((f) => f.ruleId === 'skip-asymmetry');

/**
 * What needs git and the whole CLI. What the rule finds in one commit is in
 * the fixture cases (test/fixtures/rule-cases/skip-asymmetry/, run by
 * rule-cases.test.ts); here: the exit status, a rename git detects in a range,
 * fingerprints across commits, and series attribution.
 */
describe('skip-asymmetry', () => {
  it('exits 1 on the error it reports, 0 when region_del mirrors the skip', async () => {
    const report = await lintChange(SKIP_IN_ADD);
    expect(skips(report)).toHaveLength(1);
    expect(report.code).toBe(1);
    const mirrored = await lintChange(MIRROR_IN_DEL);
    expect(skips(mirrored)).toEqual([]);
    expect(mirrored.code).toBe(0);
  });

  it('follows a file git finds renamed in the range: the finding is on the new path', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit(`fx: rename the listener\n\n${SOB}`, { [PATH]: null, 'hw/fx/fx-listener.c': SKIP_IN_ADD });
    const [finding, ...rest] = skips(await runJson(['HEAD~1..HEAD', '-C', repo.dir]));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: 'hw/fx/fx-listener.c', function: 'fx_container_region_add', severity: 'error' });
  });

  it('keeps its fingerprint when unrelated lines move', async () => {
    const first = skips(await lintChange(SKIP_IN_ADD))[0];
    const shiftedBase = '/* one more comment line */\n/* and another */\n';
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: shiftedBase + BASE });
    repo.commit('change', { [PATH]: shiftedBase + SKIP_IN_ADD });
    const moved = skips(await runJson(['HEAD~1..HEAD', '-C', repo.dir]))[0];
    expect(moved?.line).toBe((first?.line ?? 0) + 2);
    expect(moved?.fingerprint).toBe(first?.fingerprint);
  });
});

describe('skip-asymmetry across a series', () => {
  it('reports a skip repaired by a later commit as a warning naming that commit', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit(`fx: skip the map for marked regions\n\n${SOB}`, { [PATH]: SKIP_IN_ADD });
    repo.commit(`fx: skip the unmap for marked regions too\n\n${SOB}`, { [PATH]: MIRROR_IN_DEL });
    const report = await runJson(['HEAD~2..HEAD', '-C', repo.dir]);
    const [finding, ...rest] = skips(report);
    expect(rest).toEqual([]);
    expect(finding?.severity).toBe('warning');
    expect(finding?.commit?.subject).toBe('fx: skip the map for marked regions');
    expect(finding?.message).toMatch(/Fixed later in this series by commit 2\/2 fx: skip the unmap for marked regions too\b/);
    expect(finding?.message).toMatch(/alone is broken for bisection/);
    expect(report.code).toBe(0);
  });

  it('keeps the error, naming the commit that introduced it, when the series never repairs it', async () => {
    const repo = TestRepo.create();
    repo.commit('base', { [PATH]: BASE });
    repo.commit('fx: skip the map for marked regions', { [PATH]: SKIP_IN_ADD });
    repo.commit('fx: unrelated follow-up', { [PATH]: SKIP_IN_ADD + '/* follow-up */\n' });
    const [finding] = skips(await runJson(['HEAD~2..HEAD', '-C', repo.dir]));
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toMatch(/introduced by commit 1\/2 "fx: skip the map for marked regions", still present/);
  });
});
