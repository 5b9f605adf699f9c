import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepo, GitRepository, type GitRepo } from '../../src/git/repo.js';
import { gitSpawnCount } from '../../src/git/run.js';
import { cleanupTempDirs, git, tempDir, TestRepo } from './helpers.js';

afterAll(cleanupTempDirs);

async function open(dir: string): Promise<GitRepo> {
  const repo = await openRepo(dir);
  if (!repo) throw new Error(`not a repo: ${dir}`);
  return repo;
}

describe('openRepo', () => {
  it('opens a work tree', async () => {
    const t = TestRepo.create();
    t.commit('first', { 'a.c': 'int a;\n' });
    const repo = await open(t.dir);
    expect(repo.bare).toBe(false);
    expect(repo.topLevel).toBe(t.dir);
    expect(repo.dir).toBe(t.dir);
    expect(await repo.readBlob('HEAD:a.c')).toBe('int a;\n');
    await repo.close();
  });

  it('opens a work tree from a subdirectory', async () => {
    const t = TestRepo.create();
    t.commit('first', { 'hw/vfio/a.c': 'int a;\n' });
    const sub = join(t.dir, 'hw', 'vfio');
    const repo = await open(sub);
    expect(repo.bare).toBe(false);
    expect(repo.topLevel).toBe(t.dir);
    expect(repo.dir).toBe(sub);
    // <rev>:<path> paths are from the top, wherever the repo was opened
    expect(await repo.readBlob('HEAD:hw/vfio/a.c')).toBe('int a;\n');
    await repo.close();
  });

  it('opens a bare repository', async () => {
    const t = TestRepo.create();
    t.commit('first', { 'a.c': 'int a;\n' });
    const bareDir = join(tempDir(), 'bare.git');
    git(t.dir, ['clone', '-q', '--bare', t.dir, bareDir]);
    const repo = await open(bareDir);
    expect(repo.bare).toBe(true);
    expect(repo.topLevel).toBeNull();
    expect(await repo.readBlob('HEAD:a.c')).toBe('int a;\n');
    expect(await repo.resolve('HEAD')).toBe(t.head());
    await repo.close();
  });

  it('returns null outside a repository', async () => {
    const d = tempDir();
    expect(await openRepo(d)).toBeNull();
    mkdirSync(join(d, 'sub'));
    expect(await openRepo(join(d, 'sub'))).toBeNull();
    expect(await openRepo(join(d, 'does-not-exist'))).toBeNull();
  });
});

describe('resolve', () => {
  it('resolves revisions and refuses option-like names', async () => {
    const t = TestRepo.create();
    const first = t.commit('first', { 'a.c': '1\n' });
    const second = t.commit('second', { 'a.c': '2\n' });
    const repo = await open(t.dir);
    expect(await repo.resolve('HEAD')).toBe(second);
    expect(await repo.resolve('HEAD~1')).toBe(first);
    expect(await repo.resolve(first.slice(0, 8))).toBe(first);
    expect(await repo.resolve('no-such-branch')).toBeNull();
    expect(await repo.resolve('--all')).toBeNull();
    expect(await repo.resolve('-h')).toBeNull();
    await repo.close();
  });
});

describe('readBlob', () => {
  it('reads text, empty, binary, invalid UTF-8 and large blobs, and reports missing ones', async () => {
    const t = TestRepo.create();
    const big = 'x'.repeat(1000) + '\n';
    const large = big.repeat(6000); // 6 MB, more than a pipe buffer many times over
    const binary = Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 0x80, 0x41]);
    t.commit('first', {
      'a.c': 'int a; /* caf\u00e9 */\n',
      'empty.h': '',
      'bin.dat': binary,
      'latin1.c': Buffer.from('/* caf\xe9 */\n', 'latin1'),
      'large.c': large,
    });
    const repo = await open(t.dir);
    expect(await repo.readBlob('HEAD:a.c')).toBe('int a; /* caf\u00e9 */\n');
    expect(await repo.readBlob('HEAD:empty.h')).toBe('');
    const bin = await repo.readBlob('HEAD:bin.dat');
    expect(bin).toBe(binary.toString('utf8'));
    expect(await repo.readBlob('HEAD:latin1.c')).toBe('/* caf\ufffd */\n');
    const l = await repo.readBlob('HEAD:large.c');
    expect(l?.length).toBe(large.length);
    expect(l === large).toBe(true);
    expect(await repo.readBlob('HEAD:nope.c')).toBeNull();
    expect(await repo.readBlob('0123456789012345678901234567890123456789')).toBeNull();
    expect(await repo.readBlob('HEAD:')).toBeNull(); // a tree
    expect(await repo.readBlob('two\nlines')).toBeNull();
    // the process still answers after all that
    expect(await repo.readBlob('HEAD:a.c')).toBe('int a; /* caf\u00e9 */\n');
    await repo.close();
  });

  it('reads many blobs through one cat-file process', async () => {
    const t = TestRepo.create();
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`f${i}.c`] = `int v${i} = ${i};\n`.repeat(i + 1);
    t.commit('many', files);
    const before = gitSpawnCount('cat-file');
    const repo = (await open(t.dir)) as GitRepository;
    // in parallel, interleaved with misses...
    const names = Object.keys(files);
    const got = await Promise.all(
      names.flatMap((n) => [repo.readBlob(`HEAD:${n}`), repo.readBlob(`HEAD:missing-${n}`)]),
    );
    names.forEach((n, i) => {
      expect(got[2 * i]).toBe(files[n]);
      expect(got[2 * i + 1]).toBeNull();
    });
    // ...and one after the other
    for (const n of names.slice(0, 50)) expect(await repo.readBlob(`HEAD:${n}`)).toBe(files[n]);
    expect(repo.catFile.requests).toBe(2 * names.length + 50);
    expect(repo.catFile.processes).toBe(1);
    expect(gitSpawnCount('cat-file') - before).toBe(1);
    await repo.close();
  });
});
