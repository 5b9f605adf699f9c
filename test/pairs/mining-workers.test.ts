import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runBin } from '../support/cli.js';
import { fixture } from '../support/fixtures.js';
import { MIN_FILES_PER_WORKER, workerCount } from '../../src/pairs/learn/evidence-pool.js';

/** A tree of our own fixture files, each copied under a few directories: enough files for workers to share. */
function fixtureTree(): string {
  const dir = tempDir('pairlint-mine-');
  const files = ['rules/device.c', 'rules/listener.c', 'rules/error-path.c', 'rules/notify.c', 'rules/memory-core.c', 'rules/prereg.c'];
  for (const sub of ['a', 'b', 'c']) {
    mkdirSync(join(dir, 'hw', sub), { recursive: true });
    for (const f of files) writeFileSync(join(dir, 'hw', sub, f.split('/')[1] as string), fixture(f));
  }
  return dir;
}

afterAll(cleanupTempDirs);

describe('mining with worker threads', () => {
  it('learns the same table with workers as in one thread (the built CLI, which has the worker script)', () => {
    const tree = fixtureTree();
    const one = runBin(['pairs', '--tree', tree, '--no-cache', '--format', 'json'], { env: { PAIRLINT_JOBS: '1' } });
    const two = runBin(['pairs', '--tree', tree, '--no-cache', '--format', 'json'], { env: { PAIRLINT_JOBS: '2' } });
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    type Table = { source: { how: string; workers: number }; pairs: unknown[] };
    const [single, shared] = [JSON.parse(one.stdout) as Table, JSON.parse(two.stdout) as Table];
    expect(single.source).toMatchObject({ how: 'mined', workers: 0 });
    expect(shared.source).toMatchObject({ how: 'mined', workers: 2 });
    expect(single.pairs.length).toBeGreaterThan(0);
    expect(shared.pairs).toEqual(single.pairs);
  });

  it('refuses a PAIRLINT_JOBS that is not a count, in one line with exit 2', () => {
    const run = runBin(['pairs', '--tree', fixtureTree(), '--no-cache'], { env: { PAIRLINT_JOBS: 'many' } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/PAIRLINT_JOBS must be a whole number.*'many'/)]);
  });

  it('starts workers only for enough files, and none when told 1', () => {
    expect(workerCount(MIN_FILES_PER_WORKER - 1, undefined)).toBe(0);
    expect(workerCount(10_000, 1)).toBe(0);
    expect(workerCount(3, 8)).toBe(3);
    expect(workerCount(10_000, 2)).toBe(2);
    expect(workerCount(1, 2)).toBe(0);
  });
});
