import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { GitRepo } from '../../src/git/repo.js';
import type { Commit } from '../../src/series/model.js';
import { cleanupTempDirs, collect, git, numberedLines, open, rejection, tempDir, TestRepo } from './helpers.js';

afterAll(cleanupTempDirs);

/**
 * base: a.c b.c doc.txt
 * c2:   modify a.c and doc.txt
 * c3:   rename b.c -> c.c (with a small change)
 * side branch: modify doc.txt, merged with --no-ff (merge commit)
 * c5:   delete a.c
 */
function historyRepo(): { t: TestRepo; base: string; c2: string; c3: string; side: string; c5: string } {
  const t = TestRepo.create();
  const base = t.commit('base', { 'a.c': numberedLines(20, 'a'), 'b.c': numberedLines(30, 'b'), 'doc.txt': 'doc\n' });
  const c2 = t.commit('a: change line 5\n\nA body line.\n\nSigned-off-by: Ann Author <ann@example.org>\nReviewed-by: Rev Iewer <rev@example.org>', {
    'a.c': numberedLines(20, 'a').replace('a 5\n', 'a five\n'),
    'doc.txt': 'doc 2\n',
  });
  const c3 = t.commit('rename b to c', { 'b.c': null, 'c.c': numberedLines(30, 'b').replace('b 30\n', 'b thirty\n') });
  t.git('checkout', '-q', '-b', 'side', base);
  const side = t.commit('side: doc', { 'doc.txt': 'doc side\n' });
  t.git('checkout', '-q', 'main');
  t.git('merge', '-q', '--no-ff', '-X', 'theirs', '-m', 'Merge side', 'side');
  const c5 = t.commit('delete a', { 'a.c': null });
  return { t, base, c2, c3, side, c5 };
}

describe('commits', () => {
  let h: ReturnType<typeof historyRepo>;
  let repo: GitRepo;
  beforeAll(async () => {
    h = historyRepo();
    repo = await open(h.t.dir);
  });
  afterAll(async () => {
    await repo.close();
  });

  it('lists a range oldest first, skips merges, detects renames and deletions', async () => {
    const commits = await collect(repo.commits(`${h.base}..HEAD`, []));
    expect(commits.map((c) => c.subject)).toEqual(['a: change line 5', 'rename b to c', 'side: doc', 'delete a']);
    expect(commits.map((c) => c.sha)).toEqual([h.c2, h.c3, h.side, h.c5]);

    const [c2, c3, , c5] = commits as [Commit, Commit, Commit, Commit];
    expect(c2.author).toEqual({ name: 'Ann Author', email: 'ann@example.org' });
    expect(c2.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(c2.message).toBe(
      'a: change line 5\n\nA body line.\n\nSigned-off-by: Ann Author <ann@example.org>\nReviewed-by: Rev Iewer <rev@example.org>',
    );
    expect(c2.trailers).toEqual([
      { key: 'Signed-off-by', value: 'Ann Author <ann@example.org>', line: 5 },
      { key: 'Reviewed-by', value: 'Rev Iewer <rev@example.org>', line: 6 },
    ]);
    expect(c2.source).toEqual({ kind: 'git' });
    expect(c2.patchNumber).toBeNull();
    expect(c2.files.map((f) => f.newPath)).toEqual(['a.c', 'doc.txt']);
    const a = c2.files[0];
    expect(a?.status).toBe('modified');
    expect(a?.oldBlob).toMatch(/^[0-9a-f]{40}$/);
    expect(a?.newBlob).toMatch(/^[0-9a-f]{40}$/);
    expect(a?.hunks[0]?.lines.filter((l) => l.kind !== ' ').map((l) => l.kind + l.text)).toEqual(['-a 5', '+a five']);

    expect(c3.files).toHaveLength(1);
    expect(c3.files[0]).toMatchObject({ status: 'renamed', oldPath: 'b.c', newPath: 'c.c' });

    expect(c5.files).toHaveLength(1);
    expect(c5.files[0]).toMatchObject({ status: 'deleted', oldPath: 'a.c', newPath: null });
  });

  it('limits commits and files by pathspec', async () => {
    const onlyA = await collect(repo.commits(`${h.base}..HEAD`, ['a.c']));
    expect(onlyA.map((c) => c.sha)).toEqual([h.c2, h.c5]);
    // c2 also changed doc.txt, which the pathspec leaves out
    expect(onlyA[0]?.files.map((f) => f.newPath)).toEqual(['a.c']);
    const globbed = await collect(repo.commits(`${h.base}..HEAD`, ['*.txt']));
    expect(globbed.map((c) => c.sha)).toEqual([h.c2, h.side]);
  });

  it('reads pathspecs relative to the directory the repo was opened in', async () => {
    const t = TestRepo.create();
    const base = t.commit('base', { 'hw/x.c': '1\n', 'y.c': '1\n' });
    const c = t.commit('both', { 'hw/x.c': '2\n', 'y.c': '2\n' });
    const sub = await open(join(t.dir, 'hw'));
    const commits = await collect(sub.commits(`${base}..`, ['x.c']));
    expect(commits.map((x) => x.sha)).toEqual([c]);
    expect(commits[0]?.files.filter((f) => !f.context).map((f) => f.newPath)).toEqual(['hw/x.c']);
    // the commit's other C file comes along as context for the pair summaries, never reported on
    expect(commits[0]?.files.filter((f) => f.context).map((f) => f.newPath)).toEqual(['y.c']);
    await sub.close();
  });

  it('reads A.. as A..HEAD', async () => {
    const a = await collect(repo.commits(`${h.c3}..`, []));
    const b = await collect(repo.commits(`${h.c3}..HEAD`, []));
    expect(a.map((c) => c.sha)).toEqual([h.side, h.c5]);
    expect(b.map((c) => c.sha)).toEqual(a.map((c) => c.sha));
  });

  it('reads a single revision as that one commit', async () => {
    const one = await collect(repo.commits(h.c3, []));
    expect(one.map((c) => c.sha)).toEqual([h.c3]);
    const named = await collect(repo.commits('HEAD', []));
    expect(named.map((c) => c.sha)).toEqual([h.c5]);
    const root = await collect(repo.commits(h.base, []));
    expect(root).toHaveLength(1);
    expect(root[0]?.files.map((f) => f.status)).toEqual(['added', 'added', 'added']);
  });

  it('names an unknown revision', async () => {
    const e = await rejection(collect(repo.commits('nope..HEAD', [])));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("unknown revision 'nope' in range 'nope..HEAD'");
    const e2 = await rejection(collect(repo.commits(`${h.base}..nope`, [])));
    expect(e2.message).toBe(`unknown revision 'nope' in range '${h.base}..nope'`);
    const e3 = await rejection(collect(repo.commits('nope', [])));
    expect(e3.message).toBe("unknown revision 'nope'");
  });

  it('never takes a revision for an option', async () => {
    const e = await rejection(collect(repo.commits('--all', [])));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe("unknown revision '--all'");
    const e2 = await rejection(collect(repo.commits('--output=x..HEAD', [])));
    expect(e2.message).toBe("unknown revision '--output=x' in range '--output=x..HEAD'");
  });

  it('stops git when the consumer stops early', async () => {
    const gen = repo.commits(`${h.base}..HEAD`, []);
    const first = await gen.next();
    expect(first.done).toBe(false);
    await gen.return(undefined);
    expect((await gen.next()).done).toBe(true);
  });
});

describe('commits in a shallow clone', () => {
  it('says the history is too shallow when the base is missing', async () => {
    const t = TestRepo.create();
    for (let i = 0; i < 4; i++) t.commit(`c${i}`, { 'a.c': `${i}\n` });
    const clone = join(tempDir(), 'shallow');
    git(t.dir, ['clone', '-q', '--depth', '1', `file://${t.dir}`, clone]);
    const repo = await open(clone);
    const e = await rejection(collect(repo.commits('HEAD~2..HEAD', [])));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^unknown revision 'HEAD~2' in range 'HEAD~2\.\.HEAD': the history is too shallow/);
    expect(e.message).toContain('fetch-depth: 0');
    expect(e.message).toContain('git fetch --unshallow');
    await repo.close();
  });

  it('refuses a range that reaches the shallow boundary', async () => {
    const t = TestRepo.create();
    const shas: string[] = [];
    for (let i = 0; i < 4; i++) shas.push(t.commit(`c${i}`, { 'a.c': `${i}\n` }));
    const clone = join(tempDir(), 'shallow2');
    git(t.dir, ['clone', '-q', '--depth', '2', `file://${t.dir}`, clone]);
    const repo = await open(clone);
    // HEAD~1 is there but its parent is not: HEAD~1..HEAD is fine...
    const ok = await collect(repo.commits('HEAD~1..HEAD', []));
    expect(ok.map((c) => c.sha)).toEqual([shas[3]]);
    // ...the commit at the cut is not (it would look like it adds every file)
    const e = await rejection(collect(repo.commits('HEAD~1', [])));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^range 'HEAD~1' reaches the shallow-clone boundary at commit [0-9a-f]{12}: the history is too shallow/);
    expect(e.message).toContain('fetch-depth: 0');
    // a base fetched on its own, with the history between cut
    git(clone, ['fetch', '-q', '--depth', '1', 'origin', shas[0] as string]);
    const e2 = await rejection(collect(repo.commits(`${shas[0]}..HEAD`, [])));
    expect(e2.message).toContain('reaches the shallow-clone boundary');
    await repo.close();
  });
});

describe('output shape does not depend on user config', () => {
  it('parses with a hostile config', async () => {
    const t = TestRepo.create();
    const a = numberedLines(10).replace('line 4\n', '\n');
    const base = t.commit('base', { 'a.c': a, 'b.c': numberedLines(10, 'b') });
    t.git('mv', 'b.c', 'd.c');
    const c = t.commit('change \u00e9', { 'a.c': a.replace('line 3\n', 'line three\n'), 'd\u00e9j\u00e0.c': 'x\n' });
    for (const [k, v] of [
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['diff.renames', 'false'],
      ['diff.suppressBlankEmpty', 'true'],
      ['core.quotePath', 'true'],
      ['log.showSignature', 'true'],
      ['format.pretty', 'oneline'],
      ['diff.external', 'false'],
      ['i18n.logOutputEncoding', 'ISO-8859-1'],
    ] as const) {
      t.git('config', k, v);
    }
    const repo = await open(t.dir);
    const commits = await collect(repo.commits(`${base}..`, []));
    expect(commits.map((x) => x.sha)).toEqual([c]);
    const files = commits[0]?.files ?? [];
    expect(commits[0]?.subject).toBe('change \u00e9');
    expect(files.map((f) => [f.status, f.oldPath, f.newPath])).toEqual([
      ['modified', 'a.c', 'a.c'],
      ['renamed', 'b.c', 'd.c'],
      ['added', null, 'd\u00e9j\u00e0.c'],
    ]);
    expect(files[0]?.hunks[0]?.lines.map((l) => l.kind + l.text)).toEqual([
      ' line 1',
      ' line 2',
      '-line 3',
      '+line three',
      ' ',
      ' line 5',
      ' line 6',
    ]);
    await repo.close();
  });
});
