/**
 * The model cache on disk (`--cache`): a second run reads the models instead
 * of building them, and reports exactly what a run without the cache
 * reports; a damaged entry is a miss; the cache stays within its bound.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskModelCache, gitBlobId } from '../../src/engine/disk-cache.js';
import { modelBuildCount } from '../../src/engine/model-cache.js';
import { buildFileModel, initCParser } from '../../src/cmodel/parse.js';
import { baseFiles, editCommit, prng, renderFile } from '../../scripts/bench-repo.js';
import { TestRepo, cleanupTempDirs, tempDir } from '../git/helpers.js';
import { REPO_ROOT, runCli } from '../support/cli.js';

afterAll(cleanupTempDirs);

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Run the CLI in-process; the report, and how many models it built. */
async function run(args: string[]): Promise<{ out: string; built: number; code: number }> {
  const before = modelBuildCount();
  const r = await runCli([...args, '--format', 'json'], { cwd: REPO_ROOT });
  return { out: r.stdout, built: modelBuildCount() - before, code: r.code };
}

describe('model cache on disk', () => {
  it('gitBlobId is git hash-object of the text', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('a second run over the same patch builds no model and reports the same', async () => {
    const cache = tempDir('pairlint-cache-');
    const args = ['--tree', 'examples/tree', 'examples/skip-unmap.patch'];
    const plain = await run(args);
    const cold = await run([...args, '--cache', '--cache-location', cache]);
    const warm = await run([...args, '--cache', '--cache-location', cache]);
    expect(plain.code).toBe(1);
    expect(cold.out).toBe(plain.out);
    expect(warm.out).toBe(plain.out);
    expect(cold.built).toBeGreaterThan(0);
    expect(warm.built).toBe(0);
    // whole files only: no temporary file is left
    expect(files(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // --no-cache after --cache: no cache read
    const off = await run([...args, '--cache', '--cache-location', cache, '--no-cache']);
    expect(off.built).toBe(cold.built);
  });

  it('a range extended by new commits reads the old models and builds the new ones, with the same report', async () => {
    const repo = TestRepo.create();
    const gen = baseFiles(0x5eed).slice(0, 2);
    const rng = prng(11);
    repo.commit('base', Object.fromEntries(gen.map((f) => [f.path, renderFile(f)])));
    for (let i = 0; i < 8; i++) {
      const subject = editCommit(rng, gen, 1);
      repo.commit(subject || `edit ${i}`, Object.fromEntries(gen.map((f) => [f.path, renderFile(f)])));
    }
    const cache = tempDir('pairlint-cache-');
    const first = ['HEAD~8..HEAD~3', '-C', repo.dir];
    const all = ['HEAD~8..HEAD', '-C', repo.dir];
    await run([...first, '--cache', '--cache-location', cache]);
    const plain = await run(all);
    const warm = await run([...all, '--cache', '--cache-location', cache]);
    expect(warm.out).toBe(plain.out);
    expect(warm.built).toBeGreaterThan(0);
    expect(warm.built).toBeLessThan(plain.built);
  });

  it('a location that cannot be made is no cache: the run reports as without it', async () => {
    const dir = tempDir('pairlint-cache-');
    writeFileSync(join(dir, 'file'), 'a file, not a directory');
    const args = ['--tree', 'examples/tree', 'examples/skip-unmap.patch'];
    const plain = await run(args);
    const r = await run([...args, '--cache', '--cache-location', join(dir, 'file', 'cache')]);
    expect(r.code).toBe(plain.code);
    expect(r.out).toBe(plain.out);
  });

  it('an entry that does not read back as a model is a miss, and is written again', async () => {
    const cache = tempDir('pairlint-cache-');
    const args = ['--tree', 'examples/tree', 'examples/skip-unmap.patch'];
    const plain = await run(args);
    await run([...args, '--cache', '--cache-location', cache]);
    for (const f of files(cache)) writeFileSync(f, 'not a model');
    const damaged = await run([...args, '--cache', '--cache-location', cache]);
    expect(damaged.out).toBe(plain.out);
    expect(damaged.built).toBeGreaterThan(0);
    const again = await run([...args, '--cache', '--cache-location', cache]);
    expect(again.built).toBe(0);
  });

  it('keeps within its bound, and drops the directories of other versions', async () => {
    await initCParser();
    const location = tempDir('pairlint-cache-');
    const stale = join(location, 'models-0000000000000000');
    writeFileSync(join(location, 'unrelated'), 'kept');
    mkdirSync(stale);
    const fill = DiskModelCache.open(location) as DiskModelCache;
    expect(fill).not.toBeNull();
    const texts = baseFiles(0x5eed).map(renderFile);
    const textOf = (i: number) => `${texts[i % texts.length]}\n/* ${i} */\n`;
    for (let i = 0; i < 12; i++) fill.put(`hw/f${i}.c`, textOf(i), buildFileModel(`hw/f${i}.c`, textOf(i)));
    const size = () => files(location).filter((f) => f.includes('models-')).reduce((n, f) => n + statSync(f).size, 0);
    const full = size();
    // a cache bounded to half of that: the next run that writes prunes it
    const bound = Math.floor(full / 2);
    const cache = DiskModelCache.open(location, bound) as DiskModelCache;
    await new Promise((r) => setTimeout(r, 20));
    cache.put('hw/f12.c', textOf(12), buildFileModel('hw/f12.c', textOf(12)));
    cache.prune();
    expect(size()).toBeLessThanOrEqual(bound * 0.8);
    expect(size()).toBeGreaterThan(0);
    expect(readdirSync(location).filter((d) => d === 'models-0000000000000000')).toEqual([]);
    expect(readdirSync(location)).toContain('unrelated');
    // the newest model is one of those kept, the oldest is gone
    expect(cache.get('hw/f12.c', textOf(12))?.functions.length).toBe(buildFileModel('hw/f12.c', textOf(12)).functions.length);
    expect(cache.get('hw/f0.c', textOf(0))).toBeNull();
  });
});
