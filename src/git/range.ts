/**
 * Commits of a revision range, streamed from one `git log -p` process whose
 * header fields are NUL-separated: memory stays flat in the length of the
 * range (one commit at a time; the consumer's pace drives the reading).
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { InputError } from '../errors.js';
import { parseDiffText } from '../input/diff.js';
import type { Commit, FileDiff } from '../series/model.js';
import { DIFF_ARGS, gitMessage, gitMissingError, runGit, spawnGit } from './run.js';
import { MAX_CONTEXT_FILES, pathspecMatcher, type PathspecMatcher } from './pathspec.js';
import { parseTrailers, subjectOfMessage } from '../input/message.js';

/** What to tell the user when the history they asked about is cut off. */
export const SHALLOW_HINT =
  'the history is too shallow (shallow clone); fetch the full history with `git fetch --unshallow` ' +
  '(GitHub Actions: actions/checkout with `fetch-depth: 0`)';

/** Revision arguments for `git log`, after checking that every revision exists. */
export interface ResolvedRange {
  /** the range as the user wrote it */
  range: string;
  /** arguments for git log / rev-list (full ids, never starting with '-') */
  revs: string[];
}

/** Full id of `rev` peeled to a commit, or null. */
export async function resolveCommit(dir: string, rev: string): Promise<string | null> {
  // git refuses ref names starting with '-'; never let one reach git as an option
  if (rev === '' || rev.startsWith('-') || /[\n\0]/.test(rev)) return null;
  const r = await runGit(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  if (r.code !== 0) return null;
  const sha = r.stdout.toString('utf8').trim();
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
}

/** Commits listed in `$GIT_DIR/shallow` (the cut-off points of a shallow clone); empty when not shallow. */
export async function shallowCommits(dir: string): Promise<Set<string>> {
  const r = await runGit(dir, ['rev-parse', '--git-path', 'shallow']);
  if (r.code !== 0) return new Set();
  const file = resolvePath(dir, r.stdout.toString('utf8').trim());
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return new Set();
  }
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
}

/**
 * Check the revisions of `range` and turn it into git arguments:
 * `A..B`, `A..` (= A..HEAD), `..B` (= HEAD..B), `A...B`, and a single
 * revision `X` (or `X^!`), which means the one commit X.
 */
export async function resolveRange(dir: string, range: string): Promise<ResolvedRange> {
  const spec = range.trim();
  if (spec === '') throw new InputError('empty revision range');
  let shallow: Set<string> | null = null;
  const unknown = async (rev: string): Promise<InputError> => {
    shallow ??= await shallowCommits(dir);
    const where = rev === spec ? `unknown revision '${rev}'` : `unknown revision '${rev}' in range '${range}'`;
    return new InputError(shallow.size > 0 ? `${where}: ${SHALLOW_HINT}` : where);
  };
  const need = async (rev: string): Promise<string> => {
    const sha = await resolveCommit(dir, rev);
    if (sha === null) throw await unknown(rev);
    return sha;
  };

  for (const sep of ['...', '..']) {
    const at = spec.indexOf(sep);
    if (at < 0) continue;
    const left = spec.slice(0, at) || 'HEAD';
    const right = spec.slice(at + sep.length) || 'HEAD';
    if (right.includes('..')) throw new InputError(`bad revision range '${range}'`);
    const a = await need(left);
    const b = await need(right);
    return { range, revs: [`${a}${sep}${b}`] };
  }
  const single = spec.endsWith('^!') ? spec.slice(0, -2) : spec;
  const sha = await need(single);
  return { range, revs: [`${sha}^!`] };
}

/**
 * Throw when a shallow clone's cut-off lies inside the range: the commit at
 * the cut would otherwise look like it adds the whole tree.
 */
export async function checkShallowBoundary(dir: string, resolved: ResolvedRange): Promise<void> {
  const shallow = await shallowCommits(dir);
  if (shallow.size === 0) return;
  let hit: string | null = null;
  await streamLines(dir, ['rev-list', '--end-of-options', ...resolved.revs, '--'], (line) => {
    if (shallow.has(line)) {
      hit = line;
      return false;
    }
    return true;
  });
  if (hit !== null) {
    const h: string = hit;
    throw new InputError(
      `range '${resolved.range}' reaches the shallow-clone boundary at commit ${h.slice(0, 12)}: ${SHALLOW_HINT}`,
    );
  }
}

/** Run git and feed stdout lines to `onLine` until it returns false; throws InputError on failure. */
async function streamLines(dir: string, args: string[], onLine: (line: string) => boolean): Promise<void> {
  const child = spawnGit(dir, args);
  const closed = waitClose(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString('utf8');
  });
  let rest = '';
  let stopped = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      const parts = (rest + chunk.toString('latin1')).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        if (!onLine(p)) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
    }
    if (!stopped && rest !== '') onLine(rest);
  } finally {
    if (stopped) child.kill();
  }
  const { code, error } = await closed;
  if (error) throw error;
  if (!stopped && code !== 0) {
    throw new InputError(`git ${args[0]} failed: ${gitMessage(stderr) || `exit ${code}`}`);
  }
}

function waitClose(child: ReturnType<typeof spawnGit>): Promise<{ code: number; error: Error | null }> {
  return new Promise((resolve) => {
    let error: Error | null = null;
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = gitMissingError(e);
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), error }));
  });
}

/** git's %s: the first paragraph of the message, its lines joined with spaces. */
export const subjectOf = subjectOfMessage;

export function parseFiles(patch: string, source: string): FileDiff[] {
  const text = patch.replace(/^\n+/, '');
  if (text.trim() === '') return [];
  return parseDiffText(text, { source, lineOffset: 0 });
}

const FORMAT = '--format=%x00%H%x00%an%x00%ae%x00%aI%x00%B%x00';
const FIELDS = 6; // sha, name, email, date, message, patch

function toCommit(fields: string[]): Commit {
  const [sha, name, email, date, rawMessage, patch] = fields as [string, string, string, string, string, string];
  const message = rawMessage.trim();
  return {
    sha,
    author: { name, email },
    date,
    subject: subjectOf(message),
    patchNumber: null,
    message,
    trailers: parseTrailers(message),
    files: parseFiles(patch, `commit ${sha.slice(0, 12)}`),
    source: { kind: 'git' },
  };
}

const C_FILE = /\.[ch]$/;

/**
 * Files outside the pathspec become context: C files only, and none for a
 * commit that touches more than MAX_CONTEXT_FILES of them (a mechanical
 * tree-wide change has no moves worth the reading).
 */
function markContext(commit: Commit, matcher: PathspecMatcher): Commit {
  const selected = (f: FileDiff) => [f.oldPath, f.newPath].some((p) => p !== null && matcher.matches(p));
  const context = commit.files.filter((f) => !selected(f) && C_FILE.test(f.newPath ?? f.oldPath ?? ''));
  const files = commit.files.filter(selected);
  if (context.length > 0 && context.length <= MAX_CONTEXT_FILES) for (const f of context) files.push({ ...f, context: true });
  return { ...commit, files };
}

/**
 * Commits of `range` (see resolveRange), oldest first, merges skipped,
 * renames detected, limited (commits and files) by `pathspec` as in `git log`
 * (with --full-history: no commit touching the paths is simplified away);
 * pathspecs are relative to `dir`, as they would be for git run there
 * (`prefix`: `dir` relative to the top level). With a plain pathspec the
 * commits' other C files come along as context (see pathspec.ts).
 */
export async function* rangeCommits(dir: string, range: string, pathspec: string[], prefix = ''): AsyncGenerator<Commit> {
  const resolved = await resolveRange(dir, range);
  await checkShallowBoundary(dir, resolved);
  const matcher = pathspecMatcher(pathspec, prefix);
  const args = [
    'log',
    '--no-merges',
    // the whole diff of each selected commit: the other half of a move is context (see pathspec.ts)
    ...(matcher ? ['--full-diff'] : []),
    // every commit of the range that touches the pathspec, even on a side of a
    // merge whose result took the other side's version
    '--full-history',
    '--topo-order',
    '--reverse',
    '-p',
    ...DIFF_ARGS,
    '--encoding=UTF-8',
    FORMAT,
    '--end-of-options',
    ...resolved.revs,
    '--',
    ...pathspec,
  ];
  const child = spawnGit(dir, args);
  const closed = waitClose(child);
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    if (stderr.length < 4096) stderr += b.toString('utf8');
  });

  let finished = false;
  try {
    let fields: string[] = [];
    let token: Buffer[] = [];
    let started = false; // the bytes before the first NUL are not a field
    const takeToken = (): string => {
      const s = Buffer.concat(token).toString('utf8');
      token = [];
      return s;
    };
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let pos = 0;
      while (pos < chunk.length) {
        const nul = chunk.indexOf(0, pos);
        if (nul < 0) {
          token.push(chunk.subarray(pos));
          break;
        }
        token.push(chunk.subarray(pos, nul));
        pos = nul + 1;
        const value = takeToken();
        if (!started) {
          started = true;
          continue;
        }
        fields.push(value);
        if (fields.length === FIELDS) {
          const commit = toCommit(fields);
          fields = [];
          yield matcher ? markContext(commit, matcher) : commit;
        }
      }
    }
    if (started) {
      fields.push(takeToken());
      if (fields.length === FIELDS) yield matcher ? markContext(toCommit(fields), matcher) : toCommit(fields);
    }
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  const { code, error } = await closed;
  if (error) throw error;
  if (code !== 0) {
    throw new InputError(`git log ${range} failed: ${gitMessage(stderr) || `exit ${code}`}`);
  }
}
