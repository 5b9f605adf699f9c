/**
 * The environment the pre-commit tests give `pre-commit` (and, through it,
 * npm and pairlint): no npm_* variables inherited from an `npm test` run
 * (npm would take them as config for the hook's own `npm install`), npm told
 * to prefer its cache, no colour, a fixed author.
 */
import { hasCommand } from './helpers.js';

export const PRE_COMMIT = hasCommand('pre-commit');

/** Why the pre-commit tests did not run, in the test name (empty when they run). */
export const PRE_COMMIT_SKIP = PRE_COMMIT ? '' : ' (skipped: pre-commit is not installed; .ci/run installs it with apt)';

export const AUTHOR = {
  GIT_AUTHOR_NAME: 'Ann Author',
  GIT_AUTHOR_EMAIL: 'ann@example.org',
  GIT_COMMITTER_NAME: 'Ann Author',
  GIT_COMMITTER_EMAIL: 'ann@example.org',
};

export function preCommitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k === 'PRE_COMMIT_HOME') continue;
    env[k] = v;
  }
  return {
    ...env,
    ...AUTHOR,
    NO_COLOR: '1',
    PRE_COMMIT_COLOR: 'never',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}
