/** The staged change: `git diff --cached` against HEAD (or the empty tree on an unborn branch). */
import { InputError } from '../errors.js';
import { anonymousCommit, type Commit } from '../series/model.js';
import { parseFiles } from './range.js';
import { DIFF_ARGS, gitMessage, runGit, type GitResult } from './run.js';

/**
 * Start `git diff --cached` in `dir` (on an unborn branch it compares with
 * the empty tree). A hook run starts it beside the `git rev-parse` that
 * opens the repository rather than after it: two git start-ups at once.
 */
export function startStagedDiff(dir: string): Promise<GitResult> {
  const run = runGit(dir, ['diff', '--cached', ...DIFF_ARGS, '--']);
  // awaited by stagedCommit; a repository that fails to open wins the race
  run.catch(() => undefined);
  return run;
}

export async function stagedCommit(dir: string, bare: boolean, started?: Promise<GitResult>): Promise<Commit> {
  if (bare) throw new InputError(`cannot lint the staged change: ${dir} is a bare repository (no index)`);
  const r = await (started ?? startStagedDiff(dir));
  if (r.code !== 0) {
    throw new InputError(`git diff --cached in ${dir} failed: ${gitMessage(r.stderr) || `exit ${r.code}`}`);
  }
  return anonymousCommit(parseFiles(r.stdout.toString('utf8'), 'staged change'), { kind: 'staged' });
}
