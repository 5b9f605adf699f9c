/**
 * Real git repositories in temp dirs for the git and image tests. Every git
 * the tests run (and the code under test runs) ignores the user's and the
 * system's config, and never finds a repository above the temp dir.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Commit, FileDiff } from '../../src/series/model.js';
import { openRepo, type GitRepo } from '../../src/git/repo.js';

for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_COMMON_DIR', 'GIT_PREFIX']) {
  delete process.env[v];
}
process.env.GIT_CONFIG_NOSYSTEM = '1';
process.env.GIT_CONFIG_GLOBAL = '/dev/null';
process.env.GIT_CEILING_DIRECTORIES = dirname(realpathSync(tmpdir()));

const made: string[] = [];

export function tempDir(prefix = 'pairlint-test-'): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}

/** Remove every temp dir made so far (call in afterAll/afterEach). */
export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

let clock = 1_700_000_000;

export function git(cwd: string, args: string[], input?: string): string {
  clock += 60;
  const date = `@${clock} +0000`;
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ann Author',
      GIT_AUTHOR_EMAIL: 'ann@example.org',
      GIT_COMMITTER_NAME: 'Cy Committer',
      GIT_COMMITTER_EMAIL: 'cy@example.org',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export class TestRepo {
  constructor(readonly dir: string) {}

  static create(): TestRepo {
    const dir = tempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    git(dir, ['config', 'commit.gpgsign', 'false']);
    return new TestRepo(dir);
  }

  git(...args: string[]): string {
    return git(this.dir, args);
  }

  /** Write (string) or delete (null) files, relative to the repo. */
  write(files: Record<string, string | Buffer | null>): void {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        unlinkSync(full);
      } else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
  }

  /** Write files, stage everything, commit; returns the new commit id. */
  commit(message: string, files: Record<string, string | Buffer | null> = {}): string {
    this.write(files);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD').trim();
  }
}

/** Numbered lines "prefix 1".."prefix n", newline-terminated. */
export function numberedLines(n: number, prefix = 'line'): string {
  let s = '';
  for (let i = 1; i <= n; i++) s += `${prefix} ${i}\n`;
  return s;
}

/** A bare-bones commit around some file diffs. */
export function commitOf(files: FileDiff[], subject = 'test'): Commit {
  return {
    sha: null,
    author: null,
    date: null,
    subject,
    patchNumber: null,
    message: subject,
    trailers: [],
    files,
    source: { kind: 'patch', file: 'test.patch' },
  };
}

/** `git diff --no-index` of two texts (null: absent), as a/<path> and b/<path>. */
export function diffTexts(oldText: string | null, newText: string | null, path = 'f.c', context = 3): string {
  const d = tempDir('pairlint-diff-');
  mkdirSync(join(d, 'old'));
  mkdirSync(join(d, 'new'));
  if (oldText !== null) {
    mkdirSync(dirname(join(d, 'old', path)), { recursive: true });
    writeFileSync(join(d, 'old', path), oldText);
  }
  if (newText !== null) {
    mkdirSync(dirname(join(d, 'new', path)), { recursive: true });
    writeFileSync(join(d, 'new', path), newText);
  }
  try {
    execFileSync(
      'git',
      ['diff', '--no-index', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', `-U${context}`, 'old', 'new'],
      { cwd: d, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return '';
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    if (err.status === 1 && typeof err.stdout === 'string') {
      return err.stdout.replace(/(^|[ \t])([ab])\/(old|new)\//gm, '$1$2/');
    }
    throw e;
  }
}

/** Open a repository the test made (fails the test when it is not one). */
export async function open(dir: string): Promise<GitRepo> {
  const repo = await openRepo(dir);
  if (!repo) throw new Error(`not a repo: ${dir}`);
  return repo;
}

export async function collect(gen: AsyncGenerator<Commit>): Promise<Commit[]> {
  const out: Commit[] = [];
  for await (const c of gen) out.push(c);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
