/**
 * Decide what the user gave us (patch files, stdin, a revision range, the
 * staged change) and where file images come from (git, --tree, diff-only).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Commit, Series, SeriesInfo } from '../series/model.js';
import { emptySeriesInfo } from '../series/model.js';
import { parsePatchInput } from '../input/patch-input.js';
import { openRepo, type GitRepo } from '../git/repo.js';
import { startStagedDiff } from '../git/staged.js';
import { diffOnlyImages, gitObjectImages, gitPatchImages, treeImages, type ImageSource } from '../images/source.js';
import { InputError, UsageError } from '../errors.js';
import { rangeBase, type LearnSource } from '../engine/learn-base.js';
import { resolveCommit } from '../git/range.js';
import { decodeInputBytes } from '../input/bytes.js';
import { parseTrailers, readCommitMsgFile, subjectOfMessage } from '../input/message.js';

export interface InputRequest {
  operands: string[];
  pathspec: string[];
  git: string | null;
  staged: boolean;
  tree: string | null;
  cwd: string;
  /** -C DIR */
  repoDir: string | null;
  readStdin: () => Buffer;
  /** --commit-msg FILE: a commit message file, as a commit-msg hook gets it */
  commitMsg?: string | null;
}

export interface ResolvedInput {
  commits: AsyncIterable<Commit> | Iterable<Commit>;
  images: ImageSource;
  series: SeriesInfo;
  repo: GitRepo | null;
  /** where to look for .pairlint.json */
  configRoot: string;
  /** the code base pairs are learned from: the base tree of the change */
  learnSource: LearnSource;
  /** what the user should know about how the input was read */
  notes?: string[];
}

/** Is `op` a single revision of the repository at `dir` (not a file, not a range)? */
async function singleRevision(dir: string, op: string): Promise<boolean> {
  if (op.startsWith('-') || !existsSync(dir)) return false;
  const repo = await openRepo(dir);
  if (!repo) return false;
  try {
    return (await resolveCommit(repo.dir, op)) !== null;
  } finally {
    await repo.close();
  }
}

const RANGE = /\.\./;

function readPatchFile(name: string, cwd: string, readStdin: () => Buffer): string {
  if (name === '-') return decodeInputBytes(readStdin(), '-');
  const path = resolve(cwd, name);
  if (!existsSync(path)) throw new InputError(`${name}: no such file`);
  if (statSync(path).isDirectory()) {
    throw new InputError(`${name}: is a directory, not a patch (did you mean \`pairlint audit ${name}\`, which checks the pairs in the files as they are?)`);
  }
  return decodeInputBytes(readFileSync(path), name);
}

function mergeSeries(parts: Series[]): Series {
  const info = emptySeriesInfo();
  const commits: Commit[] = [];
  for (const part of parts) {
    commits.push(...part.commits);
    info.coverSubject ??= part.info.coverSubject;
    info.coverBody ??= part.info.coverBody;
    info.basedOn.push(...part.info.basedOn);
  }
  return { commits, info };
}

/**
 * `--commit-msg FILE`: the message cleaned up as git does (comments and
 * everything below the scissors line dropped), as one commit without files.
 * The author is `git var GIT_AUTHOR_IDENT` inside a repository (in a hook,
 * git exports the author of the commit being made), else unknown.
 */
async function commitMsgInput(req: InputRequest, name: string, repoDir: string): Promise<ResolvedInput> {
  if (req.operands.length > 0 || req.staged || req.git) {
    throw new UsageError('--commit-msg checks one message file: give no patch files, revision range or --staged with it');
  }
  if (req.tree) throw new UsageError('--tree goes with patch files, not with --commit-msg');
  const path = resolve(req.cwd, name);
  if (!existsSync(path)) throw new InputError(`--commit-msg ${name}: no such file`);
  if (statSync(path).isDirectory()) throw new InputError(`--commit-msg ${name}: is a directory, not a commit message file`);
  // an empty message is git's to refuse ("Aborting commit due to empty commit message"), not an input error
  const bytes = readFileSync(path);
  const message = bytes.length === 0 ? '' : readCommitMsgFile(decodeInputBytes(bytes, name));
  const repo = await openRepo(repoDir);
  const commit: Commit = {
    sha: null,
    author: repo ? await repo.authorIdent() : null,
    date: null,
    subject: subjectOfMessage(message),
    patchNumber: null,
    message,
    trailers: parseTrailers(message),
    files: [],
    source: { kind: 'commit-msg', file: name },
  };
  const configRoot = repo ? (repo.topLevel ?? repo.dir) : req.cwd;
  return { commits: [commit], images: diffOnlyImages(), series: emptySeriesInfo(), repo, configRoot, learnSource: { kind: 'none' } };
}

export async function resolveInput(req: InputRequest): Promise<ResolvedInput> {
  const repoDir = resolve(req.cwd, req.repoDir ?? '.');
  if (req.repoDir && !existsSync(repoDir)) throw new UsageError(`-C ${req.repoDir}: no such directory`);
  if (req.commitMsg) return commitMsgInput(req, req.commitMsg, repoDir);
  const ranges = req.git ? [req.git] : [];
  const files: string[] = [];
  /** operands that are a single revision (`pairlint HEAD`): linted as the commit they name */
  let single: string | null = null;
  for (const op of req.operands) {
    if (op === '-' || existsSync(resolve(req.cwd, op))) files.push(op);
    else if (RANGE.test(op)) ranges.push(op);
    else if (req.operands.length === 1 && !req.git && (await singleRevision(repoDir, op))) {
      single = op;
      ranges.push(`${op}^..${op}`);
    } else throw new InputError(`${op}: no such file, and not a revision range (use A..B, A.., or --git REV)`);
  }
  const modes = [req.staged, ranges.length > 0, files.length > 0].filter(Boolean).length;
  if (modes === 0) throw new UsageError("no input: give patch files, '-' for stdin, a revision range (A..B), or --staged");
  if (modes > 1) throw new UsageError('give patch files, a revision range, or --staged, not a mix');
  if (ranges.length > 1) throw new UsageError(`one revision range at a time (got ${ranges.join(', ')})`);
  if (req.tree && (req.staged || ranges.length > 0)) throw new UsageError('--tree goes with patch files, not with a range or --staged');

  if (req.staged || ranges.length > 0) {
    // --staged: git diff --cached starts beside the rev-parse that opens the repository
    const started = req.staged ? startStagedDiff(repoDir) : undefined;
    const repo = await openRepo(repoDir);
    if (!repo) throw new InputError(`${repoDir}: not a git repository (a revision range and --staged need one; use -C DIR)`);
    const configRoot = repo.topLevel ?? repo.dir;
    if (single !== null && !(await resolveCommit(repo.dir, `${single}^`))) {
      await repo.close();
      throw new InputError(`${single} is a root commit (it has no parent to diff against); did you mean \`pairlint ${single}..\` for what follows it?`);
    }
    if (req.staged) {
      if (repo.bare) throw new InputError(`${repoDir}: --staged needs a work tree, this repository is bare`);
      const commit = await repo.staged(started);
      return {
        commits: [commit],
        images: gitObjectImages(repo),
        series: emptySeriesInfo(),
        repo,
        configRoot,
        learnSource: { kind: 'git', repo, rev: 'HEAD' },
      };
    }
    return {
      commits: repo.commits(ranges[0] as string, req.pathspec),
      images: gitObjectImages(repo),
      series: emptySeriesInfo(),
      repo,
      configRoot,
      learnSource: { kind: 'git', repo, rev: rangeBase(ranges[0] as string) },
      ...(single !== null ? { notes: [`${single} is a single revision: linted the commit it names (${single}^..${single})`] } : {}),
    };
  }

  const series = mergeSeries(files.map((f) => parsePatchInput(readPatchFile(f, req.cwd, req.readStdin), f)));
  if (req.tree) {
    const dir = resolve(req.cwd, req.tree);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--tree ${req.tree}: no such directory`);
    return {
      commits: series.commits,
      images: treeImages(dir),
      series: series.info,
      repo: null,
      configRoot: req.cwd,
      learnSource: { kind: 'dir', dir },
    };
  }
  const repo = await openRepo(repoDir);
  if (repo) {
    return {
      commits: series.commits,
      images: gitPatchImages(repo),
      series: series.info,
      repo,
      configRoot: repo.topLevel ?? repo.dir,
      learnSource: { kind: 'git', repo, rev: 'HEAD' },
    };
  }
  return { commits: series.commits, images: diffOnlyImages(), series: series.info, repo: null, configRoot: req.cwd, learnSource: { kind: 'none' } };
}
