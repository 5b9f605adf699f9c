import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  diffOnlyImages,
  gitObjectImages,
  gitPatchImages,
  isCFile,
  treeImages,
} from '../../src/images/source.js';
import type { FileImages } from '../../src/images/types.js';
import type { GitRepository } from '../../src/git/repo.js';
import { parseDiffText } from '../../src/input/diff.js';
import type { Commit, FileDiff } from '../../src/series/model.js';
import { cleanupTempDirs, collect, commitOf, git, numberedLines, open, rejection, tempDir, TestRepo } from '../git/helpers.js';

afterAll(cleanupTempDirs);

/** Images keyed by display path. */
function byPath(m: Map<FileDiff, FileImages>): Map<string, FileImages> {
  const out = new Map<string, FileImages>();
  for (const [f, img] of m) out.set((f.newPath ?? f.oldPath) as string, img);
  return out;
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A scratch repository used only to produce patches between states. */
class PatchMaker {
  readonly t = TestRepo.create();
  private shas: string[] = [];
  state(files: Record<string, string | null>): number {
    this.shas.push(this.t.commit(`state ${this.shas.length}`, files));
    return this.shas.length - 1;
  }
  /** the diff between two states as a patch commit */
  patch(from: number, to: number, subject = `patch ${to}`, extra: string[] = []): Commit {
    const text = this.t.git('diff', '-M', ...extra, this.shas[from] as string, this.shas[to] as string);
    return commitOf(parseDiffText(text, { source: subject }), subject);
  }
  sha(i: number): string {
    return this.shas[i] as string;
  }
}

describe('isCFile', () => {
  it('takes .c and .h only', () => {
    expect(isCFile('hw/a.c')).toBe(true);
    expect(isCFile('include/a.h')).toBe(true);
    expect(isCFile('a.cc')).toBe(false);
    expect(isCFile('a.c.txt')).toBe(false);
    expect(isCFile('Makefile')).toBe(false);
    expect(isCFile(null)).toBe(false);
  });
});

describe('gitObjectImages', () => {
  it('reads pre and post images of range commits from their blobs', async () => {
    const t = TestRepo.create();
    const a0 = numberedLines(10, 'a');
    const a1 = a0.replace('a 3\n', 'a three\n');
    const base = t.commit('base', { 'a.c': a0, 'b.h': 'int b;\n', 'old.c': numberedLines(20, 'o'), 'doc.txt': 'd\n' });
    t.commit('everything', {
      'a.c': a1,
      'b.h': null,
      'new.c': 'int n;\n',
      'old.c': null,
      'moved.c': numberedLines(20, 'o').replace('o 20\n', 'o twenty\n'),
      'doc.txt': 'd2\n',
      'blob.c': Buffer.from([0, 1, 2, 3, 0, 255]),
    });
    const repo = await open(t.dir);
    const [commit] = await collect(repo.commits(`${base}..`, []));
    const images = byPath(await gitObjectImages(repo).imagesFor(commit as Commit));
    expect([...images.keys()].sort()).toEqual(['a.c', 'b.h', 'moved.c', 'new.c']);
    expect(images.get('a.c')).toEqual({ pre: { path: 'a.c', text: a0 }, post: { path: 'a.c', text: a1 }, mode: 'full' });
    expect(images.get('b.h')).toEqual({ pre: { path: 'b.h', text: 'int b;\n' }, post: null, mode: 'full' });
    expect(images.get('new.c')).toEqual({ pre: null, post: { path: 'new.c', text: 'int n;\n' }, mode: 'full' });
    expect(images.get('moved.c')?.pre).toEqual({ path: 'old.c', text: numberedLines(20, 'o') });
    expect(images.get('moved.c')?.post?.text).toContain('o twenty\n');
    await repo.close();
  });

  it('rebuilds post-images from pre-images and hunks, byte for byte; CR and undecodable bytes are read from git', async () => {
    const t = TestRepo.create();
    const a0 = numberedLines(40, 'a');
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const base = t.commit('base', {
      'a.c': a0,
      'crlf.c': 'int x;\r\nint y;\r\n',
      'latin.c': latin1('/* caf\xe9 */\nint x;\n'),
      'noeol.c': 'int x;\nint y;',
    });
    t.commit('one', { 'a.c': a0.replace('a 3\n', 'a three\n').replace('a 30\n', ''), 'noeol.c': 'int x;\nint z;' });
    t.commit('two', { 'a.c': a0.replace('a 3\n', 'a three\n').replace('a 12\n', 'a 12\na 12.5\n'), 'crlf.c': 'int x;\r\nint z;\r\n' });
    t.commit('three', { 'a.c': `${a0}a 41`, 'latin.c': latin1('/* caf\xe9 */\nint z;\n'), 'noeol.c': 'int x;\nint z;\n' });
    const repo = (await open(t.dir)) as GitRepository;
    const source = gitObjectImages(repo);
    const commits = await collect(repo.commits(`${base}..`, []));
    expect(commits).toHaveLength(3);
    for (const commit of commits) {
      for (const [file, img] of await source.imagesFor(commit)) {
        const path = file.newPath as string;
        expect(img.post?.text, `${commit.subject}: ${path}`).toBe(t.git('show', `${commit.sha}:${path}`));
      }
    }
    // the four base images, and the post-images of crlf.c and latin.c; every other text is rebuilt
    expect(repo.catFile.requests).toBe(6);
    await repo.close();
  });

  it('reads a pure rename by path, as it has no index line', async () => {
    const t = TestRepo.create();
    const base = t.commit('base', { 'x.c': numberedLines(10) });
    t.git('mv', 'x.c', 'y.c');
    t.commit('rename');
    const repo = await open(t.dir);
    const [commit] = await collect(repo.commits(`${base}..`, []));
    expect(commit?.files[0]?.oldBlob).toBeUndefined();
    const images = byPath(await gitObjectImages(repo).imagesFor(commit as Commit));
    expect(images.get('y.c')?.pre).toEqual({ path: 'x.c', text: numberedLines(10) });
    expect(images.get('y.c')?.post).toEqual({ path: 'y.c', text: numberedLines(10) });
    await repo.close();
  });

  it('reads staged images from the index', async () => {
    const t = TestRepo.create();
    t.commit('base', { 'a.c': 'int a;\n' });
    t.write({ 'a.c': 'int a = 1;\n' });
    t.git('add', 'a.c');
    t.write({ 'a.c': 'int a = 2; /* not staged */\n' });
    const repo = await open(t.dir);
    const images = byPath(await gitObjectImages(repo).imagesFor(await repo.staged()));
    expect(images.get('a.c')?.pre?.text).toBe('int a;\n');
    expect(images.get('a.c')?.post?.text).toBe('int a = 1;\n');
    await repo.close();
  });

  it('says so when a blob is missing', async () => {
    const t = TestRepo.create();
    const base = t.commit('base', { 'a.c': 'int a;\n' });
    t.commit('change', { 'a.c': 'int a = 1;\n' });
    const repo = await open(t.dir);
    const [commit] = await collect(repo.commits(`${base}..`, []));
    const file = commit?.files[0] as FileDiff;
    const fake = { ...file, oldBlob: 'deadbeef'.repeat(5) };
    const e = await rejection(gitObjectImages(repo).imagesFor({ ...(commit as Commit), files: [fake] }));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(
      `a.c: blob ${'deadbeef'.repeat(5)} not found in ${t.dir} (shallow or partial clone?); ` +
        'the history is too shallow (shallow clone); fetch the full history with `git fetch --unshallow` ' +
        '(GitHub Actions: actions/checkout with `fetch-depth: 0`)',
    );
    await repo.close();
  });
});

describe('treeImages', () => {
  it('chains a file over the commits of a series', async () => {
    const pm = new PatchMaker();
    const v0 = numberedLines(30);
    const v1 = v0.replace('line 10\n', 'line 10\nadded 1\nadded 2\n');
    const v2 = v1.replace('added 2\n', 'added two\n');
    pm.state({ 'hw/a.c': v0, 'hw/b.c': numberedLines(30, 'b') });
    pm.state({ 'hw/a.c': v1 });
    pm.state({ 'hw/a.c': null, 'hw/renamed.c': v2 });
    pm.state({ 'hw/renamed.c': v2.replace('line 30\n', 'line thirty\n') });
    const p1 = pm.patch(0, 1);
    const p2 = pm.patch(1, 2);
    const p3 = pm.patch(2, 3);
    expect(p2.files[0]?.status).toBe('renamed');

    const dir = tempDir();
    writeTree(dir, { 'hw/a.c': v0, 'hw/b.c': numberedLines(30, 'b') });
    const src = treeImages(dir);
    expect(src.kind).toBe('tree');
    const i1 = byPath(await src.imagesFor(p1)).get('hw/a.c');
    expect(i1?.pre?.text).toBe(v0);
    expect(i1?.post?.text).toBe(v1);
    // patch 2 only applies on top of patch 1 (the tree still holds v0)
    const i2 = byPath(await src.imagesFor(p2)).get('hw/renamed.c');
    expect(i2?.pre).toEqual({ path: 'hw/a.c', text: v1 });
    expect(i2?.post).toEqual({ path: 'hw/renamed.c', text: v2 });
    // patch 3 modifies the file under its new name
    const i3 = byPath(await src.imagesFor(p3)).get('hw/renamed.c');
    expect(i3?.pre?.text).toBe(v2);
    expect(i3?.post?.text).toBe(v2.replace('line 30\n', 'line thirty\n'));

    // without the chain, patch 2 does not apply to the tree
    const e = await rejection(treeImages(dir).imagesFor(p2));
    expect(e.message).toMatch(/^hw\/renamed\.c: hunk 1 \(@@ -\d+,\d+ \+\d+,\d+ @@\) does not apply to the file in /);
    // and a later patch naming the old path fails as well
    const again = await rejection(src.imagesFor(p2));
    expect(again.message).toBe(
      'hw/a.c: the patch renames it, but an earlier patch of the series deleted or renamed it',
    );
  });

  it('names a file missing at base', async () => {
    const pm = new PatchMaker();
    pm.state({ 'hw/vfio/listener.c': numberedLines(10) });
    pm.state({ 'hw/vfio/listener.c': numberedLines(10).replace('line 2\n', 'two\n') });
    const dir = tempDir();
    const e = await rejection(treeImages(dir).imagesFor(pm.patch(0, 1)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(
      `hw/vfio/listener.c: not found in ${dir} (the patch modifies it, so it must exist at base)`,
    );
  });

  it('names the failing hunk against the tree', async () => {
    const pm = new PatchMaker();
    pm.state({ 'a.c': numberedLines(40) });
    pm.state({ 'a.c': numberedLines(40).replace('line 5\n', 'five\n').replace('line 30\n', 'thirty\n') });
    const dir = tempDir();
    writeTree(dir, { 'a.c': numberedLines(40).replace('line 30\n', 'other\n') });
    const e = await rejection(treeImages(dir).imagesFor(pm.patch(0, 1)));
    expect(e.message).toBe(`a.c: hunk 2 (@@ -27,7 +27,7 @@) does not apply to the file in ${dir}`);
  });

  it('reports hunk shifts when the tree differs from the patch base', async () => {
    const pm = new PatchMaker();
    pm.state({ 'a.c': numberedLines(40) });
    pm.state({ 'a.c': numberedLines(40).replace('line 20\n', 'twenty\n') });
    const dir = tempDir();
    writeTree(dir, { 'a.c': 'x\ny\n' + numberedLines(40) });
    const img = byPath(await treeImages(dir).imagesFor(pm.patch(0, 1))).get('a.c');
    expect(img?.hunkShifts).toEqual([{ oldShift: 2, newShift: 2 }]);
    expect(img?.post?.text.split('\n')[21]).toBe('twenty');
  });

  it('refuses paths that leave the tree', async () => {
    const diff =
      'diff --git a/../outside.c b/../outside.c\n--- a/../outside.c\n+++ b/../outside.c\n@@ -1 +1 @@\n-a\n+b\n';
    const dir = tempDir();
    const e = await rejection(treeImages(join(dir)).imagesFor(commitOf(parseDiffText(diff, { source: 't' }))));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/path leaves the source tree/);
  });

  it('skips binary and non-C files', async () => {
    const pm = new PatchMaker();
    pm.state({ 'a.txt': 'x\n', 'b.c': Buffer.from([0, 1, 2]).toString('latin1') });
    pm.state({ 'a.txt': 'y\n', 'b.c': Buffer.from([0, 1, 3]).toString('latin1') });
    const p = pm.patch(0, 1);
    expect(p.files.find((f) => f.newPath === 'b.c')?.binary).toBe(true);
    expect((await treeImages(tempDir()).imagesFor(p)).size).toBe(0);
  });
});

describe('gitPatchImages', () => {
  it('starts from the blob named on the index line when the repo has it', async () => {
    const t = TestRepo.create();
    const v0 = numberedLines(20);
    t.commit('v0', { 'a.c': v0 });
    // HEAD has moved on: the patch below does not apply to it
    t.commit('v1', { 'a.c': v0.replace('line 10\n', 'changed at HEAD\n') });
    const pm = new PatchMaker();
    pm.state({ 'a.c': v0 });
    pm.state({ 'a.c': v0.replace('line 10\n', 'patched\n') });
    const patch = pm.patch(0, 1, 'p', ['--abbrev=9']);
    expect(patch.files[0]?.oldBlob).toHaveLength(9);
    const repo = await open(t.dir);
    const img = byPath(await gitPatchImages(repo).imagesFor(patch)).get('a.c');
    expect(img?.pre?.text).toBe(v0);
    expect(img?.post?.text).toBe(v0.replace('line 10\n', 'patched\n'));
    expect(img?.mode).toBe('full');
    await repo.close();
  });

  it('falls back to the file at HEAD when the blob is unknown, in a bare repository too', async () => {
    const t = TestRepo.create();
    const head = 'extra\n' + numberedLines(20);
    t.commit('v0', { 'hw/a.c': head });
    const pm = new PatchMaker();
    pm.state({ 'hw/a.c': numberedLines(20) });
    pm.state({ 'hw/a.c': numberedLines(20).replace('line 10\n', 'patched\n') });
    const patch = pm.patch(0, 1);
    const bareDir = join(tempDir(), 'bare.git');
    git(t.dir, ['clone', '-q', '--bare', t.dir, bareDir]);
    for (const dir of [t.dir, join(t.dir, 'hw'), bareDir]) {
      const repo = await open(dir);
      expect(await repo.readBlob(patch.files[0]?.oldBlob as string)).toBeNull();
      const img = byPath(await gitPatchImages(repo).imagesFor(patch)).get('hw/a.c');
      expect(img?.pre?.text).toBe(head);
      expect(img?.post?.text).toBe(head.replace('line 10\n', 'patched\n'));
      expect(img?.hunkShifts).toEqual([{ oldShift: 1, newShift: 1 }]);
      await repo.close();
    }
  });

  it('names a file missing at HEAD', async () => {
    const t = TestRepo.create();
    t.commit('v0', { 'other.c': 'x\n' });
    const pm = new PatchMaker();
    pm.state({ 'a.c': numberedLines(5) });
    pm.state({ 'a.c': numberedLines(5).replace('line 1\n', 'one\n') });
    const repo = await open(t.dir);
    const e = await rejection(gitPatchImages(repo).imagesFor(pm.patch(0, 1)));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe(`a.c: not found at HEAD in ${t.dir} (the patch modifies it, so it must exist at base)`);
    await repo.close();
  });

  it('chains over a series', async () => {
    const t = TestRepo.create();
    const v0 = numberedLines(20);
    t.commit('v0', { 'a.c': v0 });
    const pm = new PatchMaker();
    pm.state({ 'a.c': v0 });
    pm.state({ 'a.c': v0.replace('line 5\n', 'five\n') });
    pm.state({ 'a.c': v0.replace('line 5\n', 'FIVE\n') });
    const repo = await open(t.dir);
    const src = gitPatchImages(repo);
    await src.imagesFor(pm.patch(0, 1));
    const img = byPath(await src.imagesFor(pm.patch(1, 2))).get('a.c');
    expect(img?.pre?.text).toBe(v0.replace('line 5\n', 'five\n'));
    expect(img?.post?.text).toBe(v0.replace('line 5\n', 'FIVE\n'));
    await repo.close();
  });
});

describe('diffOnlyImages', () => {
  it('puts hunk lines at their line numbers and blanks the rest', async () => {
    const pm = new PatchMaker();
    const v0 = numberedLines(40);
    pm.state({ 'a.c': v0, 'gone.c': 'int g;\n' });
    pm.state({ 'a.c': v0.replace('line 30\n', 'thirty\nthirty-and-a-half\n'), 'gone.c': null, 'new.c': 'int n;\n' });
    const p = pm.patch(0, 1);
    const src = diffOnlyImages();
    expect(src.kind).toBe('diff-only');
    const images = byPath(await src.imagesFor(p));
    const a = images.get('a.c') as FileImages;
    expect(a.mode).toBe('diff-only');
    const pre = a.pre?.text.split('\n') ?? [];
    const post = a.post?.text.split('\n') ?? [];
    expect(pre[29]).toBe('line 30');
    expect(pre[26]).toBe('line 27');
    expect(pre[25]).toBe('');
    expect(pre[0]).toBe('');
    expect(post[29]).toBe('thirty');
    expect(post[30]).toBe('thirty-and-a-half');
    expect(post[33]).toBe('line 33');
    expect(pre).toHaveLength(33 + 1);
    expect(images.get('gone.c')).toEqual({ pre: { path: 'gone.c', text: 'int g;\n' }, post: null, mode: 'diff-only' });
    expect(images.get('new.c')).toEqual({ pre: null, post: { path: 'new.c', text: 'int n;\n' }, mode: 'diff-only' });
  });
});
