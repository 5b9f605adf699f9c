/** The staged change: `git diff --cached` against HEAD (or the empty tree on an unborn branch). */
import { InputError } from '../errors.js';
import { anonymousCommit, type Commit } from '../series/model.js';
import { parseFiles } from './range.js';
import { DIFF_ARGS, gitMessage, runGit } from './run.js';

export async function stagedCommit(dir: string, bare: boolean): Promise<Commit> {
  if (bare) throw new InputError(`cannot lint the staged change: ${dir} is a bare repository (no index)`);
  // on an unborn branch, git diff --cached compares with the empty tree
  const r = await runGit(dir, ['diff', '--cached', ...DIFF_ARGS, '--']);
  if (r.code !== 0) {
    throw new InputError(`git diff --cached in ${dir} failed: ${gitMessage(r.stderr) || `exit ${r.code}`}`);
  }
  return anonymousCommit(parseFiles(r.stdout.toString('utf8'), 'staged change'), { kind: 'staged' });
}
