import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, lineOf } from '../support/fixtures.js';
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
async function lintChange(after: string, extra: Record<string, string> = {}) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit(`change\n\n${SOB}`, { [PATH]: after, ...extra });
  return runJson(['HEAD~1..HEAD', '-C', repo.dir]);
}

const skips = (r: Awaited<ReturnType<typeof lintChange>>) => r.findings.filter((f) => f.ruleId === 'skip-asymmetry');

describe('skip-asymmetry', () => {
  it('fires on a new early return before the map when del still unmaps', async () => {
    const report = await lintChange(SKIP_IN_ADD);
    const [finding, ...rest] = skips(report);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      category: 'pair',
      file: PATH,
      function: 'fx_container_region_add',
      line: lineOf(SKIP_IN_ADD, 'memory_region_skip_iommu_map'),
      endLine: lineOf(SKIP_IN_ADD, 'memory_region_skip_iommu_map') + 2,
    });
    const unmapLine = lineOf(SKIP_IN_ADD, 'ret = vfio_container_dma_unmap');
    expect(finding?.related[0]).toMatchObject({ file: PATH, line: unmapLine, function: 'fx_listener_region_del' });
    // What, why and how, naming both sides with file:line.
    expect(finding?.message).toContain('vfio_container_dma_map()');
    expect(finding?.message).toContain(`fx_listener_region_del() still calls vfio_container_dma_unmap() at ${PATH}:${unmapLine}`);
    expect(finding?.message).toMatch(/never mapped/);
    expect(finding?.message).toMatch(/try_unmap = false/);
    expect(report.code).toBe(1);
  });

  it('is silent when region_del tests the same predicate before the unmap', async () => {
    const report = await lintChange(MIRROR_IN_DEL);
    expect(skips(report)).toEqual([]);
    expect(report.code).toBe(0);
  });

  it('is silent when the skip goes into the predicate both sides call', async () => {
    const shared = edit(
      BASE,
      '    if (fx_listener_skipped_section(section)) {\n        return false;\n    }\n',
      '    if (fx_listener_skipped_section(section) ||\n        memory_region_skip_iommu_map(section->mr)) {\n        return false;\n    }\n',
    );
    expect(skips(await lintChange(shared))).toEqual([]);
  });

  it('ignores a new error path (a call that takes an Error ** failed)', async () => {
    const errorPath = edit(
      BASE,
      '    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
      '    if (!fx_container_prepare(fc, section, &err)) {\n        error_report_err(err);\n        return;\n    }\n\n    vaddr = memory_region_get_ram_ptr(section->mr) +\n',
    );
    expect(skips(await lintChange(errorPath))).toEqual([]);
  });

  it('fires when the release side learns a skip the acquire side does not mirror', async () => {
    const delSkip = edit(
      BASE,
      '    if (try_unmap) {\n',
      '    if (memory_region_is_protected(section->mr)) {\n        try_unmap = false;\n    }\n\n    if (try_unmap) {\n',
    );
    const [finding] = skips(await lintChange(delSkip));
    expect(finding).toMatchObject({ function: 'fx_listener_region_del', line: lineOf(delSkip, 'memory_region_is_protected') });
    expect(finding?.message).toMatch(/never undone|leak|stays in the IOMMU/);
    expect(finding?.related[0]).toMatchObject({ function: 'fx_container_region_add', line: lineOf(delSkip, 'ret = vfio_container_dma_map') });
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
