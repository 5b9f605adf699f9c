// STUB (owned by the git helper): replace the bodies, keep the signatures.
import type { Commit } from '../series/model.js';

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
  /** the staged change (index vs HEAD) as one commit with an empty message */
  staged(): Promise<Commit>;
  /** stop the cat-file process */
  close(): Promise<void>;
}

/**
 * Open the repository at or above `dir`, or return null when `dir` is not in a
 * git repository (work tree or bare). Throws InputError when git is missing.
 */
export async function openRepo(dir: string): Promise<GitRepo | null> {
  throw new Error(`not implemented: ${dir}`);
}
