import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { openRepo, type GitRepo } from '../../src/git/repo.js';
import { cleanupTempDirs, git, numberedLines, tempDir, TestRepo } from './helpers.js';

afterAll(cleanupTempDirs);

async function open(dir: string): Promise<GitRepo> {
  const repo = await openRepo(dir);
  if (!repo) throw new Error(`not a repo: ${dir}`);
  return repo;
}

describe('staged', () => {
  it('is the index against HEAD, with renames, as one commit without a message', async () => {
    const t = TestRepo.create();
    t.commit('base', { 'a.c': numberedLines(10), 'b.c': numberedLines(20, 'b'), 'gone.h': 'x\n' });
    t.write({ 'a.c': numberedLines(10).replace('line 2\n', 'line two\n'), 'new.c': 'int n;\n', 'gone.h': null });
    t.git('mv', 'b.c', 'c.c');
    t.git('add', 'a.c', 'new.c', 'gone.h');
    // not staged: must not show
    t.write({ 'c.c': 'changed in the work tree only\n' });
    const repo = await open(t.dir);
    const c = await repo.staged();
    expect(c).toMatchObject({ sha: null, author: null, date: null, subject: '', message: '', trailers: [], patchNumber: null });
    expect(c.source).toEqual({ kind: 'staged' });
    const byPath = new Map(c.files.map((f) => [f.newPath ?? f.oldPath, f]));
    expect(byPath.get('a.c')?.status).toBe('modified');
    expect(byPath.get('c.c')).toMatchObject({ status: 'renamed', oldPath: 'b.c' });
    expect(byPath.get('c.c')?.hunks).toEqual([]);
    expect(byPath.get('new.c')?.status).toBe('added');
    expect(byPath.get('gone.h')?.status).toBe('deleted');
    expect(byPath.get('a.c')?.newBlob).toMatch(/^[0-9a-f]{40}$/);
    expect(c.files).toHaveLength(4);
    await repo.close();
  });

  it('shows everything as added on an unborn branch', async () => {
    const t = TestRepo.create();
    t.write({ 'a.c': 'int a;\n', 'hw/b.h': 'int b;\n' });
    t.git('add', '-A');
    const repo = await open(t.dir);
    const c = await repo.staged();
    expect(c.files.map((f) => [f.status, f.newPath])).toEqual([
      ['added', 'a.c'],
      ['added', 'hw/b.h'],
    ]);
    await repo.close();
  });

  it('is empty when nothing is staged', async () => {
    const t = TestRepo.create();
    t.commit('base', { 'a.c': 'int a;\n' });
    const repo = await open(t.dir);
    expect((await repo.staged()).files).toEqual([]);
    await repo.close();
  });

  it('refuses a bare repository', async () => {
    const t = TestRepo.create();
    t.commit('base', { 'a.c': 'int a;\n' });
    const bare = join(tempDir(), 'b.git');
    git(t.dir, ['clone', '-q', '--bare', t.dir, bare]);
    const repo = await open(bare);
    await expect(repo.staged()).rejects.toThrow(InputError);
    await expect(repo.staged()).rejects.toThrow(/bare repository/);
    await repo.close();
  });
});
