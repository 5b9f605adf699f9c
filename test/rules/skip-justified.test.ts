/**
 * skip-justified over the seed corpus (real QEMU series, read where it is, when
 * present). What the rule finds in one commit, and what the pair rules it
 * reads find there, is in test/fixtures/rule-cases/skip-justified/ and
 * pair-rules/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runJson, type JsonReport } from '../support/cli.js';

const SEED = join(REPO_ROOT, '..', 'shared', 'corpus', 'seed');
const justified = (r: JsonReport) => r.findings.filter((f) => f.ruleId === 'skip-justified');

describe('skip-justified', () => {
  it.skipIf(!existsSync(SEED))('seed notifier-skip fires; skip-map-asymmetric and owner-skip explain their skips', async () => {
    const base = join(SEED, 'base');
    const notifier = await runJson(['--tree', base, join(SEED, 'notifier-skip.mbox')]);
    const [finding] = justified(notifier);
    expect(finding?.message).toMatch(/vfio_iommu_map_notify\(\) at hw\/vfio\/listener\.c:16[6-8]/);
    expect(justified(await runJson(['--tree', base, join(SEED, 'skip-map-asymmetric.mbox')]))).toEqual([]);
    expect(justified(await runJson(['--tree', base, join(SEED, 'owner-skip.mbox')]))).toEqual([]);
  });
});
