import { realpathSync } from 'node:fs';
import { relative, resolve as resolvePath, sep } from 'node:path';
import { InputError } from '../errors.js';
import type { Commit, Person } from '../series/model.js';
import { CatFile } from './catfile.js';
import { rangeCommits, subjectOf } from './range.js';
import { gitMessage, runGit, type GitResult } from './run.js';
import { stagedCommit } from './staged.js';

/** A git repository, reached only through `git` spawned with argument arrays. */
export interface GitRepo {
  /** the directory given with -C (or cwd) */
  readonly dir: string;
  readonly bare: boolean;
  /** work tree top level, null for a bare repository */
  readonly topLevel: string | null;
  /**
   * Contents of an object by name (`<sha>`, `<abbrev>`, `HEAD:path`, `<rev>:path`),
   * read through one long-lived `git cat-file --batch` process. null when missing.
   */
  readBlob(spec: string): Promise<string | null>;
  /** full sha of a revision, or null when git does not know it */
  resolve(rev: string): Promise<string | null>;
  /** commits of a range (`A..B`, `A..`), oldest first, merges skipped, renames detected, limited by pathspec */
  commits(range: string, pathspec: string[]): AsyncGenerator<Commit>;
  /**
   * The staged change (index vs HEAD) as one commit with an empty message;
   * `started`: a `git diff --cached` already running in this repository's dir (startStagedDiff)
   */
  staged(started?: Promise<GitResult>): Promise<Commit>;
  /**
   * The commit a hex id (full or abbreviated) names, with its subject (git's
   * %s), read through the cat-file process. null when git does not have it,
   * the id is ambiguous, or it names something other than a commit.
   */
  commitSubject(id: string): Promise<{ sha: string; subject: string } | null>;
  /** `git var GIT_AUTHOR_IDENT` (what the next commit's author will be), null when git cannot tell */
  authorIdent(): Promise<Person | null>;
  /** stop the cat-file process */
  close(): Promise<void>;
}

/** The implementation behind GitRepo; `catFile` is exposed for tests and diagnostics. */
export class GitRepository implements GitRepo {
  readonly catFile: CatFile;

  constructor(
    readonly dir: string,
    readonly bare: boolean,
    readonly topLevel: string | null,
  ) {
    this.catFile = new CatFile(dir);
  }

  /**
   * Blob contents decoded as UTF-8 (invalid bytes become U+FFFD). null when the
   * object is missing, ambiguous, or not a blob (a tree, a commit).
   */
  async readBlob(spec: string): Promise<string | null> {
    const obj = await this.catFile.read(spec);
    if (!obj || obj.type !== 'blob') return null;
    return obj.content.toString('utf8');
  }

  async resolve(rev: string): Promise<string | null> {
    if (rev === '' || rev.startsWith('-') || /[\n\0]/.test(rev)) return null;
    const r = await runGit(this.dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', rev]);
    if (r.code !== 0) return null;
    const sha = r.stdout.toString('utf8').trim();
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
  }

  commits(range: string, pathspec: string[]): AsyncGenerator<Commit> {
    return rangeCommits(this.dir, range, pathspec, this.prefix());
  }

  /** This repository's dir relative to its top level ('' at the top, and for a bare repository). */
  private prefix(): string {
    if (this.topLevel === null) return '';
    const rel = relative(realpathSync(this.topLevel), realpathSync(this.dir));
    return rel.startsWith('..') ? '' : rel.split(sep).join('/');
  }

  staged(started?: Promise<GitResult>): Promise<Commit> {
    return stagedCommit(this.dir, this.bare || this.topLevel === null, started);
  }

  async commitSubject(id: string): Promise<{ sha: string; subject: string } | null> {
    if (!/^[0-9a-f]{4,64}$/i.test(id)) return null;
    const obj = await this.catFile.read(id.toLowerCase());
    if (!obj || obj.type !== 'commit') return null;
    const text = obj.content.toString('utf8');
    const end = text.indexOf('\n\n');
    return { sha: obj.sha, subject: end < 0 ? '' : subjectOf(text.slice(end + 2)) };
  }

  async authorIdent(): Promise<Person | null> {
    const r = await runGit(this.dir, ['var', 'GIT_AUTHOR_IDENT']);
    if (r.code !== 0) return null;
    const m = /^(.*?)\s*<([^<>]*)>/.exec(r.stdout.toString('utf8'));
    return m ? { name: (m[1] as string).trim(), email: (m[2] as string).trim() } : null;
  }

  close(): Promise<void> {
    return this.catFile.close();
  }
}

/**
 * Open the repository at or above `dir`, or return null when `dir` is not in a
 * git repository (work tree or bare). Throws InputError when git is missing
 * or refuses the repository (e.g. "dubious ownership").
 */
export async function openRepo(dir: string): Promise<GitRepo | null> {
  const abs = resolvePath(dir);
  // one process for the three answers (it starts on every hook run); outside
  // a work tree --show-toplevel fails after git has printed the first two
  const r = await runGit(abs, ['rev-parse', '--is-bare-repository', '--is-inside-work-tree', '--show-toplevel']);
  const out = r.stdout.toString('utf8');
  const [bareOut, insideOut] = out.split('\n');
  // the top level is the rest (a directory name may hold a newline)
  const topOut = out.split('\n').slice(2).join('\n').replace(/\n$/, '');
  const answered = bareOut !== undefined && insideOut !== undefined && /^(true|false)$/.test(bareOut.trim()) && /^(true|false)$/.test(insideOut.trim());
  if (!answered) {
    if (/not a git repository|cannot change to/i.test(r.stderr)) return null;
    throw new InputError(`${abs}: ${gitMessage(r.stderr) || `git rev-parse failed (exit ${r.code})`}`);
  }
  const bare = bareOut.trim() === 'true';
  const topLevel = !bare && insideOut.trim() === 'true' && r.code === 0 ? topOut || null : null;
  return new GitRepository(abs, bare, topLevel);
}
