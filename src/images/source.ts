// STUB (owned by the git/images helper): replace the bodies, keep the signatures.
import type { Commit, FileDiff } from '../series/model.js';
import type { GitRepo } from '../git/repo.js';
import type { FileImages } from './types.js';

/** Where the before/after text of each touched C file comes from. */
export interface ImageSource {
  /** 'git' | 'tree' | 'diff-only' */
  readonly kind: 'git' | 'tree' | 'diff-only';
  /**
   * Images of every touched .c/.h file of `commit`. Must be called for the
   * commits of a series in order: a file touched twice starts from the first
   * commit's post-image. Throws InputError when a hunk does not apply (naming
   * the file and hunk) or when a modified file is missing at base.
   */
  imagesFor(commit: Commit): Promise<Map<FileDiff, FileImages>>;
}

/** True for the files pairlint models: `.c` and `.h`. */
export function isCFile(path: string | null): boolean {
  return path !== null && /\.[ch]$/.test(path);
}

/** Images from git objects named on the diff's index lines (range and staged mode). */
export function gitObjectImages(repo: GitRepo): ImageSource {
  throw new Error(`not implemented ${repo.dir}`);
}

/** Patch files inside a repository: pre-image = blob on the index line if the repo has it, else HEAD:path; post = hunks applied. */
export function gitPatchImages(repo: GitRepo): ImageSource {
  throw new Error(`not implemented ${repo.dir}`);
}

/** Patch files against a source tree that is not a repository: pre = file in dir, post = hunks applied. */
export function treeImages(dir: string): ImageSource {
  throw new Error(`not implemented ${dir}`);
}

/** No files at all: images rebuilt from hunk text, lines outside hunks blank, same line numbers. */
export function diffOnlyImages(): ImageSource {
  throw new Error('not implemented');
}
