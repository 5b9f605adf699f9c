/**
 * Which commits the action lints, from the `range` input or the event that
 * started the workflow ($GITHUB_EVENT_NAME, payload at $GITHUB_EVENT_PATH):
 *
 *  - pull_request / pull_request_target: merge-base(base, head)..head, the
 *    commits of the pull request whatever has landed on the base branch since;
 *  - merge_group: the same with the queue's base_sha/head_sha;
 *  - push: before..after; a new branch (`before` all zeros) lints the pushed
 *    head commit alone and says so; a deleted branch lints nothing;
 *  - anything else needs the `range` input.
 *
 * A commit the event names that the clone lacks, or no merge base, means the
 * checkout is too shallow: that is an error telling the user to set
 * `fetch-depth: 0`, never a silent pass.
 */
import { readFileSync } from 'node:fs';
import { runGit } from '../git/run.js';
import { shallowCommits } from '../git/range.js';
import { ActionInputError, type Env } from './env.js';

export const FETCH_DEPTH_HINT =
  'set `fetch-depth: 0` on the actions/checkout step so the clone has the history pairlint compares';

export class ShallowHistoryError extends ActionInputError {
  override name = 'ShallowHistoryError';
}

export interface RangeChoice {
  /** a revision range for pairlint (`A..B`, or one commit) or null: nothing to lint */
  range: string | null;
  /** where it came from, for the log */
  description: string;
  /** something the user should know (a fallback was taken) */
  notice: string | null;
}

const ZERO_SHA = /^0+$/;
const SHA = /^[0-9a-f]{40,64}$/;

interface PullRequestPayload {
  pull_request?: { base?: { sha?: unknown }; head?: { sha?: unknown }; number?: unknown };
  merge_group?: { base_sha?: unknown; head_sha?: unknown };
  before?: unknown;
  after?: unknown;
}

function readPayload(env: Env): PullRequestPayload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ActionInputError(`cannot read the event payload ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as PullRequestPayload) : {};
  } catch (e) {
    throw new ActionInputError(`the event payload ${path} is not JSON: ${(e as Error).message}`);
  }
}

function sha(v: unknown, what: string): string {
  if (typeof v === 'string' && SHA.test(v)) return v;
  throw new ActionInputError(`the event payload has no ${what} commit id; set the \`range\` input`);
}

async function hasCommit(dir: string, id: string): Promise<boolean> {
  const r = await runGit(dir, ['cat-file', '-e', '--end-of-options', `${id}^{commit}`]);
  return r.code === 0;
}

async function isShallow(dir: string): Promise<boolean> {
  return (await shallowCommits(dir)).size > 0;
}

async function requireCommit(dir: string, id: string, what: string): Promise<void> {
  if (await hasCommit(dir, id)) return;
  throw new ShallowHistoryError(
    `the ${what} commit ${id.slice(0, 12)} is not in the clone${(await isShallow(dir)) ? ' (a shallow clone)' : ''}: ` +
      `the history is too shallow; ${FETCH_DEPTH_HINT}`,
  );
}

async function mergeBase(dir: string, a: string, b: string, what: string): Promise<string> {
  const r = await runGit(dir, ['merge-base', '--end-of-options', a, b]);
  const out = r.stdout.toString('utf8').trim();
  if (r.code === 0 && SHA.test(out)) return out;
  if (await isShallow(dir)) {
    throw new ShallowHistoryError(
      `no merge base of ${what} in the clone: the history is too shallow; ${FETCH_DEPTH_HINT}`,
    );
  }
  throw new ActionInputError(`${what} have no common ancestor (unrelated histories); set the \`range\` input`);
}

async function baseHeadRange(dir: string, base: string, head: string, label: string): Promise<RangeChoice> {
  await requireCommit(dir, base, `${label} base`);
  await requireCommit(dir, head, `${label} head`);
  const mb = await mergeBase(dir, base, head, `the ${label} base ${base.slice(0, 12)} and head ${head.slice(0, 12)}`);
  return { range: `${mb}..${head}`, description: `${label}: merge-base ${mb.slice(0, 12)}..head ${head.slice(0, 12)}`, notice: null };
}

/** The range to lint in repository `dir`. */
export async function chooseRange(env: Env, dir: string, input: string): Promise<RangeChoice> {
  if (input !== '') return { range: input, description: `range input ${input}`, notice: null };
  const event = env.GITHUB_EVENT_NAME ?? '';
  const payload = readPayload(env);

  if (event === 'pull_request' || event === 'pull_request_target') {
    const pr = payload.pull_request;
    return baseHeadRange(dir, sha(pr?.base?.sha, 'pull_request.base'), sha(pr?.head?.sha, 'pull_request.head'), 'pull request');
  }
  if (event === 'merge_group') {
    const mg = payload.merge_group;
    return baseHeadRange(dir, sha(mg?.base_sha, 'merge_group.base'), sha(mg?.head_sha, 'merge_group.head'), 'merge group');
  }
  if (event === 'push') {
    const after = sha(payload.after ?? env.GITHUB_SHA, 'push after');
    if (ZERO_SHA.test(after)) return { range: null, description: 'push deleting a branch', notice: 'the push deleted a branch: nothing to lint' };
    await requireCommit(dir, after, 'pushed head');
    const before = typeof payload.before === 'string' ? payload.before : '';
    if (before === '' || ZERO_SHA.test(before)) {
      return {
        range: after,
        description: `push of a new branch: the head commit ${after.slice(0, 12)} alone`,
        notice:
          `a new branch has no \`before\` commit to compare with, so pairlint linted only the last commit ` +
          `(${after.slice(0, 12)}); set the \`range\` input (for example origin/master..${after.slice(0, 12)}) to lint more`,
      };
    }
    sha(before, 'push before');
    if (!(await hasCommit(dir, before))) {
      throw new ShallowHistoryError(
        `the commit before the push ${before.slice(0, 12)} is not in the clone: the history is too shallow; ${FETCH_DEPTH_HINT} ` +
          `(after a force push the old head may be gone from the server: set the \`range\` input)`,
      );
    }
    return { range: `${before}..${after}`, description: `push: ${before.slice(0, 12)}..${after.slice(0, 12)}`, notice: null };
  }
  throw new ActionInputError(
    `event '${event || '(none)'}' names no commits to compare: set the \`range\` input (for example origin/master..HEAD)`,
  );
}
