/**
 * The seed series (../shared/corpus/seed), read from ../shared and never
 * copied: with --tree on the mbox files, and in git-range mode on a clone of
 * seed.bundle. Skipped with a message when ../shared is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runJson, type JsonReport } from '../support/cli.js';

const SEED = join(REPO_ROOT, '..', 'shared', 'corpus', 'seed');
const present = existsSync(join(SEED, 'seed.bundle'));
if (!present) console.warn(`seed tests skipped: ${SEED} not found`);

afterAll(cleanupTempDirs);

const pairFindings = (r: JsonReport) => r.findings.filter((f) => f.category === 'pair' || f.category === 'domain');

function expectAsymmetric(report: JsonReport & { code: number }) {
  expect(report.code).toBe(1);
  const finding = report.findings.find((f) => f.ruleId === 'skip-asymmetry');
  expect(finding).toBeDefined();
  expect(finding).toMatchObject({ file: 'hw/vfio/listener.c', function: 'vfio_container_region_add', severity: 'error' });
  expect(finding!.line).toBeGreaterThanOrEqual(617);
  expect(finding!.line).toBeLessThanOrEqual(621);
  expect(finding!.related.some((r) => r.function === 'vfio_listener_region_del' && r.line === 757)).toBe(true);
  expect(finding!.message).toMatch(/vfio_container_dma_unmap\(\) at hw\/vfio\/listener\.c:757/);
  expect(finding!.message).toMatch(/never mapped/);
  expect(finding!.message).toMatch(/try_unmap = false|vfio_listener_valid_section/);
  // Introduced by patch 1/2; still present at the end of the series.
  expect(finding!.commit).toMatchObject({ index: 1, total: 2 });
}

describe.skipIf(!present)('seed series with --tree', () => {
  const base = join(SEED, 'base');
  it('skip-map-asymmetric: skip-asymmetry at the new early return, related region_del', async () => {
    const report = await runJson(['--tree', base, join(SEED, 'skip-map-asymmetric.mbox')]);
    expectAsymmetric(report);
    expect(report.series.coverSubject).toMatch(/Allow RAM device regions to skip IOMMU/);
    expect(report.summary.commits).toBe(2);
  });

  it('skip-map-symmetric: no pair finding', async () => {
    const report = await runJson(['--tree', base, join(SEED, 'skip-map-symmetric.mbox')]);
    expect(pairFindings(report)).toEqual([]);
    expect(report.code).toBe(0);
  });

  it('owner-skip then its revert: the owner skip fires, the revert is clean', async () => {
    const report = await runJson(['--tree', base, join(SEED, 'owner-skip.mbox'), join(SEED, 'owner-skip-revert.mbox')]);
    const onRevert = pairFindings(report).filter((f) => f.commit?.subject.startsWith('Revert'));
    expect(onRevert).toEqual([]);
    expect(report.findings.some((f) => f.ruleId === 'skip-asymmetry' && f.function === 'vfio_container_region_add')).toBe(true);
    const design = report.findings.find((f) => f.ruleId === 'ram-device-skip');
    expect(design).toMatchObject({ function: 'vfio_container_region_add', severity: 'warning', category: 'domain' });
    expect(design!.line).toBeGreaterThanOrEqual(622);
    expect(design!.line).toBeLessThanOrEqual(628);
  });

  it('notifier-skip: branch-asymmetry at the MAP-only skip, related to the UNMAP call', async () => {
    const report = await runJson(['--tree', base, join(SEED, 'notifier-skip.mbox')]);
    const finding = report.findings.find((f) => f.ruleId === 'branch-asymmetry');
    expect(finding).toMatchObject({ function: 'vfio_iommu_map_notify', line: 166, endLine: 168 });
    expect(finding!.related).toEqual([expect.objectContaining({ line: 189 })]);
  });
});

describe.skipIf(!present)('seed series in git-range mode', () => {
  let clone = '';
  const setup = () => {
    if (clone) return clone;
    clone = join(tempDir(), 'seed');
    execFileSync('git', ['clone', '-q', join(SEED, 'seed.bundle'), clone]);
    for (const b of ['skip-map-asymmetric', 'skip-map-symmetric', 'owner-skip', 'owner-skip-revert', 'notifier-skip']) {
      execFileSync('git', ['-C', clone, 'branch', '-q', '-f', b, `origin/${b}`]);
    }
    // `base` is the clone's checked-out branch already.
    return clone;
  };

  it('base..skip-map-asymmetric fires on the first commit', async () => {
    const report = await runJson(['-C', setup(), 'base..skip-map-asymmetric']);
    expect(report.code).toBe(1);
    const finding = report.findings.find((f) => f.ruleId === 'skip-asymmetry');
    expect(finding).toMatchObject({ file: 'hw/vfio/listener.c', function: 'vfio_container_region_add' });
    expect(finding!.line).toBeGreaterThanOrEqual(617);
    expect(finding!.line).toBeLessThanOrEqual(621);
    expect(finding!.related.some((r) => r.function === 'vfio_listener_region_del')).toBe(true);
    expect(finding!.commit?.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('base..skip-map-symmetric is clean', async () => {
    expect(pairFindings(await runJson(['-C', setup(), 'base..skip-map-symmetric']))).toEqual([]);
  });

  it('owner-skip..owner-skip-revert is clean', async () => {
    expect(pairFindings(await runJson(['-C', setup(), 'owner-skip..owner-skip-revert']))).toEqual([]);
  });

  it('base..owner-skip gives the asymmetry and the design warning', async () => {
    const report = await runJson(['-C', setup(), 'base..owner-skip']);
    expect(report.findings.some((f) => f.ruleId === 'skip-asymmetry' && f.function === 'vfio_container_region_add')).toBe(true);
    expect(report.findings.some((f) => f.ruleId === 'ram-device-skip' && f.function === 'vfio_container_region_add')).toBe(true);
  });

  it('notifier-skip~1..notifier-skip gives the branch asymmetry at 166, related 189', async () => {
    const report = await runJson(['-C', setup(), 'notifier-skip~1..notifier-skip']);
    const finding = report.findings.find((f) => f.ruleId === 'branch-asymmetry');
    expect(finding).toMatchObject({ function: 'vfio_iommu_map_notify', line: 166 });
    expect(finding!.related.some((r) => r.line === 189)).toBe(true);
  });

  it('a pathspec that excludes hw/vfio sees nothing', async () => {
    const report = await runJson(['-C', setup(), 'base..skip-map-asymmetric', '--', 'system']);
    expect(pairFindings(report)).toEqual([]);
  });
});
