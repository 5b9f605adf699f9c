/**
 * `pairlint b4-check`: an external check for `b4 review` (b4 0.16).
 *
 * b4 runs a per-patch check command in the maintainer's checkout with one
 * RFC 2822 mail on stdin (a per-series command gets the cover letter) and
 * reads a JSON array from stdout: `[{tool, status: pass|warn|fail, summary?,
 * url?, details?}]`, `[]` for nothing to report. A non-zero exit with nothing
 * on stdout is shown as an execution error; when there is JSON on stdout,
 * b4 reads it whatever the exit status (b4 `src/b4/review/checks.py`,
 * `_run_external_cmd`).
 *
 * `B4_TRACKING_FILE`, when b4 sets it, names a JSON file with the series'
 * tracking data: `series.base-commit`, `series.first-patch-commit`,
 * `series.change-id` (the review branch is `b4/review/<change-id>`) and
 * `series.branch-tips` (`[{branch, sha, date}]`). From it the check finds the
 * patch's own commit on the review branch (or a branch tip) and reads every
 * pre-image at that commit's parent: the base plus the earlier patches of the
 * series. `details` says which context was used.
 */
import { readFileSync } from 'node:fs';
import type { Commit, FileDiff, Series } from '../series/model.js';
import type { GitRepo } from '../git/repo.js';
import { openRepo } from '../git/repo.js';
import { runGit } from '../git/run.js';
import { parsePatchInput } from '../input/patch-input.js';
import { decodeInputBytes } from '../input/bytes.js';
import { chainedImages, diffOnlyImages, gitPatchImages, type ImageBase, type ImageSource } from '../images/source.js';
import { lint, type LintResult } from '../engine/lint.js';
import { loadConfig } from '../config/load.js';
import { learnBase } from '../engine/learn-base.js';
import { defaultCacheDir } from '../pairs/learn/cache.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS } from '../../rules/index.js';
import { textReporter } from '../report/text.js';
import { PairlintError } from '../errors.js';

export type B4Status = 'pass' | 'warn' | 'fail';

/** One entry of the JSON array b4 reads. */
export interface B4Result {
  tool: string;
  status: B4Status;
  summary?: string;
  url?: string;
  details?: string;
}

export interface B4CheckRequest {
  stdin: Buffer;
  /** the maintainer's checkout (b4 runs the command at its top level) */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --config FILE */
  config: string | null;
  /** column header in b4's matrix */
  tool: string;
  /** pairlint's version: learned pair tables are cached by it */
  version: string;
}

export interface B4CheckOutcome {
  results: B4Result[];
  /** 0 when the check ran, 2 when the input or the config could not be checked (the JSON says why) */
  code: number;
}

/** What the tracking file tells us, only the fields we read. */
interface Tracking {
  baseCommit: string | null;
  firstPatchCommit: string | null;
  changeId: string | null;
  tips: { branch: string; sha: string }[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Read the tracking file leniently: a field of the wrong shape is absent, never an error. */
export function parseTracking(data: unknown): Tracking {
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const series = obj(obj(data).series);
  const tips: Tracking['tips'] = [];
  if (Array.isArray(series['branch-tips'])) {
    for (const t of series['branch-tips'] as unknown[]) {
      const sha = str(obj(t).sha);
      if (sha) tips.push({ branch: str(obj(t).branch) ?? sha, sha });
    }
  }
  return {
    baseCommit: str(series['base-commit']),
    firstPatchCommit: str(series['first-patch-commit']),
    changeId: str(series['change-id']),
    tips,
  };
}

const short = (sha: string) => sha.slice(0, 12);
const normSubject = (s: string) => s.replace(/\s+/g, ' ').trim();

interface SeriesCommit {
  sha: string;
  parent: string | null;
  subject: string;
}

/** Commits of `base..tip`, oldest first (at most 500, merges skipped); null when git refuses the range. */
async function commitsOf(dir: string, base: string, tip: string): Promise<SeriesCommit[] | null> {
  const r = await runGit(dir, ['log', '--reverse', '--no-merges', '--max-count=500', '--format=%H%x00%P%x00%s', `${base}..${tip}`, '--']);
  if (r.code !== 0) return null;
  const out: SeriesCommit[] = [];
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const [sha, parents, subject] = line.split('\0');
    if (!sha || subject === undefined) continue;
    out.push({ sha, parent: parents ? (parents.split(' ')[0] ?? null) : null, subject });
  }
  return out;
}

/** The context a patch is checked in: where its pre-images come from, and what to tell the maintainer. */
interface Context {
  images: ImageSource;
  describe: () => string;
  /** the revision whose tree pairs are learned from (null: only the patch's own files teach) */
  learnRev: string | null;
}

/**
 * Pre-images for a patch from the tracking data: the parent of the patch's
 * own commit on the review branch or a branch tip when it can be found there
 * (base plus the earlier patches), else the blob on the patch's index line,
 * else the base commit.
 */
async function trackedContext(repo: GitRepo, tracking: Tracking, commit: Commit, trackingFile: string): Promise<Context | null> {
  const base = tracking.baseCommit ? await repo.resolve(`${tracking.baseCommit}^{commit}`) : null;
  const tips: { name: string; sha: string }[] = [];
  if (tracking.changeId) {
    const ref = `refs/heads/b4/review/${tracking.changeId}`;
    const sha = await repo.resolve(ref);
    if (sha) tips.push({ name: `b4/review/${tracking.changeId}`, sha });
  }
  for (const t of tracking.tips) {
    const sha = await repo.resolve(`${t.sha}^{commit}`);
    if (sha && !tips.some((x) => x.sha === sha)) tips.push({ name: t.branch, sha });
  }
  const first = tracking.firstPatchCommit ? await repo.resolve(`${tracking.firstPatchCommit}^{commit}`) : null;
  const start = base ?? (first ? await repo.resolve(`${first}^`) : null);
  const wanted = normSubject(commit.subject);
  if (start) {
    for (const tip of tips) {
      const list = await commitsOf(repo.dir, start, tip.sha);
      if (!list) continue;
      const matches = list.map((c, i) => ({ c, i })).filter(({ c }) => normSubject(c.subject) === wanted);
      if (matches.length === 0) continue;
      const index = commit.patchNumber?.index;
      const pick = matches.find(({ i }) => index !== undefined && i === index - 1) ?? matches[0];
      if (!pick || !pick.c.parent) continue;
      const parent = pick.c.parent;
      const earlier = pick.i;
      const images = chainedImages(async (_file, path) => {
        const text = await repo.readBlob(`${parent}:${path}`);
        return text === null ? null : { text, where: `${path} at ${short(parent)}` };
      }, `at ${short(parent)}`);
      return {
        images,
        learnRev: parent,
        describe: () =>
          `Context: tracking data (${trackingFile}): this patch is commit ${short(pick.c.sha)} on ${tip.name}; ` +
          `files were read at its parent ${short(parent)}, the base ${start === base ? 'commit' : '(parent of the first patch)'} ` +
          `${short(start)} plus ${earlier} earlier patch${earlier === 1 ? '' : 'es'} of the series.`,
      };
    }
  }
  if (!base) return null;
  const used = new Set<string>();
  const images = chainedImages(async (file: FileDiff, path: string): Promise<ImageBase | null> => {
    const id = file.oldBlob && /^[0-9a-f]{4,64}$/.test(file.oldBlob) && !/^0+$/.test(file.oldBlob) ? file.oldBlob : null;
    if (id) {
      const text = await repo.readBlob(id);
      if (text !== null) {
        used.add('the blobs on the patch\'s index lines');
        return { text, where: `blob ${id}` };
      }
    }
    const text = await repo.readBlob(`${base}:${path}`);
    if (text === null) return null;
    used.add(`the base commit ${short(base)}`);
    return { text, where: `${path} at ${short(base)}` };
  }, `at the base commit ${short(base)}`);
  return {
    images,
    learnRev: base,
    describe: () =>
      `Context: tracking data (${trackingFile}): base commit ${short(base)}; this patch's commit was not found ` +
      `${tips.length > 0 ? `on ${tips.map((t) => t.name).join(', ')}` : '(no review branch or branch tip in this repository)'}, ` +
      `so earlier patches of the series are seen only through the index lines; files were read from ` +
      `${used.size > 0 ? [...used].join(' and ') : 'nowhere (no C file)'}.`,
  };
}

function readTrackingFile(path: string): { tracking: Tracking | null; problem: string | null } {
  try {
    const text = readFileSync(path, 'utf8');
    return { tracking: parseTracking(JSON.parse(text)), problem: null };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { tracking: null, problem: `B4_TRACKING_FILE ${path} could not be read (${err.code ?? err.message}), so it was not used` };
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** status, summary and details of a lint result */
export function resultOf(result: LintResult, tool: string, context: string, cwd: string): B4Result {
  const { errors, warnings, infos } = result.summary;
  const status: B4Status = errors > 0 ? 'fail' : warnings > 0 ? 'warn' : 'pass';
  let summary: string;
  const worst = result.findings.find((f) => f.severity === 'error') ?? result.findings.find((f) => f.severity === 'warning');
  if (worst) {
    const counts = [errors > 0 ? plural(errors, 'error') : null, warnings > 0 ? plural(warnings, 'warning') : null].filter(Boolean).join(', ');
    const where = worst.function ? `${worst.function}() at ${worst.file}:${worst.line}` : `${worst.file}:${worst.line}`;
    summary = `${counts}: ${worst.ruleId} in ${where}`;
  } else if (result.checkedFiles === 0) {
    summary = 'no C file (.c, .h) changed: nothing to check for pairs';
  } else {
    summary = `no pair asymmetry (${plural(result.checkedFiles, 'C file')} checked${infos > 0 ? `, ${plural(infos, 'info')}` : ''})`;
  }
  const report = textReporter.format(result, { color: false, rules: RULES, cwd });
  return { tool, status, summary, details: `${context}\n\n${report}`.trimEnd() };
}

function failure(tool: string, message: string, context: string | null): B4Result {
  const line = message.trimEnd().replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return {
    tool,
    status: 'fail',
    summary: `pairlint could not check this patch: ${line}`,
    details: `pairlint: ${line}${context ? `\n\n${context}` : ''}\n\nThis is an input or setup problem, not a finding: the patch was not checked.`,
  };
}

/** True when the input holds no commit with a diff: a cover letter, or a mail that is not a patch. */
function isCoverOnly(series: Series): boolean {
  return series.commits.length === 0;
}

export async function runB4Check(req: B4CheckRequest): Promise<B4CheckOutcome> {
  let context: Context | null = null;
  let repo: GitRepo | null = null;
  try {
    const text = decodeInputBytes(req.stdin, '-');
    const series = parsePatchInput(text, '-');
    // a per-series command gets the cover letter: findings are per patch, so nothing to report here
    if (isCoverOnly(series)) return { results: [], code: 0 };
    repo = await openRepo(req.cwd);
    const trackingFile = req.env.B4_TRACKING_FILE;
    let trackingNote = '';
    if (trackingFile && repo) {
      const { tracking, problem } = readTrackingFile(trackingFile);
      if (tracking && series.commits.length === 1) context = await trackedContext(repo, tracking, series.commits[0] as Commit, trackingFile);
      else if (tracking) trackingNote = ' (the tracking data was not used: the input holds more than one patch)';
      if (problem) trackingNote = ` (${problem})`;
      else if (tracking && !context && series.commits.length === 1) trackingNote = ` (the tracking data ${trackingFile} names no base commit or branch this repository has)`;
    }
    if (!context) {
      if (repo) {
        const r = repo;
        context = {
          images: gitPatchImages(r),
          learnRev: 'HEAD',
          describe: () =>
            `Context: ${trackingFile ? 'B4_TRACKING_FILE was set but gave no usable context' + trackingNote : 'no tracking data (B4_TRACKING_FILE not set)'}; ` +
            `files were read from the blobs on the patch's index lines when ${r.topLevel ?? r.dir} has them, else at HEAD.`,
        };
      } else {
        context = {
          images: diffOnlyImages(),
          learnRev: null,
          describe: () => `Context: ${req.cwd} is not a git repository, so only the hunks were read (diff-only).`,
        };
      }
    }
    const configRoot = repo ? (repo.topLevel ?? repo.dir) : req.cwd;
    const config = loadConfig(req.config, configRoot, RULE_IDS, RULE_OPTION_SPECS);
    if (repo && context.learnRev) {
      await learnBase(config.pairs, { kind: 'git', repo, rev: context.learnRev }, { cacheDir: defaultCacheDir(req.env), version: req.version });
    }
    const result = await lint(series.commits, context.images, series.info, config, RULES, { repo });
    return { results: [resultOf(result, req.tool, context.describe(), req.cwd)], code: 0 };
  } catch (err) {
    const contextText = context ? context.describe() : null;
    if (err instanceof PairlintError) return { results: [failure(req.tool, err.message, contextText)], code: err.exitCode };
    const e = err as Error;
    return { results: [failure(req.tool, `internal error: ${e?.message ?? String(err)}`, contextText)], code: 2 };
  } finally {
    await repo?.close();
  }
}
