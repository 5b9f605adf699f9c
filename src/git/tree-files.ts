/**
 * The C files of one git tree, for mining pairs from the code base a change
 * applies to: `git ls-tree` names them, the repository's cat-file process
 * reads them.
 */
import type { GitRepo } from './repo.js';
import { runGit } from './run.js';

export interface GitTreeFile {
  path: string;
  blob: string;
}

const C_FILE = /\.[ch]$/;

/** The tree id of a revision, or null when git does not know it (an unborn HEAD). */
export async function treeIdOf(repo: GitRepo, rev: string): Promise<string | null> {
  const r = await runGit(repo.dir, ['rev-parse', '--verify', '--quiet', `${rev}^{tree}`]);
  return r.code === 0 ? r.stdout.toString('utf8').trim() || null : null;
}

/** The .c and .h blobs of a tree (by tree id or revision). */
export async function cFilesOfTree(repo: GitRepo, tree: string): Promise<GitTreeFile[]> {
  const r = await runGit(repo.dir, ['ls-tree', '-r', '-z', '--full-tree', tree]);
  if (r.code !== 0) return [];
  const out: GitTreeFile[] = [];
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    // <mode> SP <type> SP <object> TAB <path>
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (type === 'blob' && blob && C_FILE.test(path)) out.push({ path, blob });
  }
  return out;
}
