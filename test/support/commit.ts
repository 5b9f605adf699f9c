/** Lint one commit of a fresh repository: `base`, then the change to `after` (null deletes a file). */
import { TestRepo } from '../git/helpers.js';
import { runJson, type JsonReport } from './cli.js';
import { SOB } from './messages.js';

export type Files = Record<string, string | null>;

export async function lintCommit(base: Files, after: Files, message = `change\n\n${SOB}`): Promise<JsonReport> {
  const repo = TestRepo.create();
  repo.commit('base', base);
  repo.commit(message, after);
  return runJson(['HEAD~1..HEAD', '-C', repo.dir]);
}

/** The pair findings of that commit. */
export async function pairFindingsOf(base: Files, after: Files): Promise<JsonReport['findings']> {
  return (await lintCommit(base, after)).findings.filter((f) => f.category === 'pair');
}
