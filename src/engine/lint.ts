/**
 * The lint loop: for each commit (oldest first), get the file images, build
 * the C models once, run every enabled rule, and turn drafts into findings.
 * Commits are consumed one at a time so a long range never sits in memory.
 *
 * One commit goes through named stages: read (inputs and series, with their
 * images: withImages) → models (commit-files.ts) → learn pairs → run rules
 * (run-rules.ts) → suppress → fix; the run then settles what the series as a
 * whole still has (squashed.ts, series.ts) and where fixes apply (fix/bases.ts).
 * Baselines are applied to the result by the caller (baseline.ts).
 */
import type { Commit, FileDiff, SeriesInfo } from '../series/model.js';
import type { ImageSource } from '../images/source.js';
import type { FileImages } from '../images/types.js';
import { initCParser } from '../cmodel/parse.js';
import type { ResolvedConfig } from '../config/load.js';
import type { PairTable } from '../pairs/table.js';
import type { PendingForget } from '../pairs/learn/learned.js';
import type { Finding, Severity, Summary } from '../rule/finding.js';
import type { Repair, Rule } from '../rule/rule.js';
import type { ChangedFile } from '../model/changed-file.js';
import { modelService } from '../model/service.js';
import { commitMessagePath, hasCommitMessage } from '../model/commit-message.js';
import { withImages } from './prefetch.js';
import { detached } from './detach.js';
import { ModelCache } from './model-cache.js';
import { DiskModelCache } from './disk-cache.js';
import { SeriesTracker, applySeriesAwareness } from './series.js';
import { commitChanges } from './commit-changes.js';
import { CommitLookups, type CommitResolver } from './lookups.js';
import { applySuppressions, collectSuppressions } from './suppress.js';
import { attachFixes } from '../fix/stage.js';
import { FixBases } from '../fix/bases.js';
import { commitFiles, selectedOnly, type ReadFile } from './commit-files.js';
import { draftOf, enabledRules, FindingMaker, runRules, type CommitScope, type EnabledRule } from './run-rules.js';
import { squashedFingerprints } from './squashed.js';
import { RunNotes } from './run-notes.js';

export interface LintResult {
  findings: Finding[];
  summary: Summary;
  series: SeriesInfo;
  /** C files that were modelled (over all commits) */
  checkedFiles: number;
  /** notes for the user: diff-only mode, files skipped */
  notes: string[];
  /** findings silenced by pairlint-ignore comments and Pairlint-Ignore trailers */
  suppressed?: number;
  /** the final image of each file a finding's fix edits (what --fix-patch diffs against) */
  fixBase?: ReadonlyMap<string, string>;
}

/** What lint() may use besides the input. */
export interface LintEnv {
  /** where commit ids named in messages (Fixes:, reverts) are looked up; none: no lookups */
  repo?: CommitResolver | null;
  /** a model cache on disk (`--cache`, see disk-cache.ts): its directory; none: no cache */
  cacheLocation?: string | null;
}

/** A commit as a note names it: its subject, else its number in the input. */
function commitLabelForNote(commit: Commit, index: number): string {
  return commit.subject ? `commit '${commit.subject}'` : `commit ${index}`;
}

/**
 * Each touched file's images teach the learned pair table: the whole file the
 * first time its path is seen (a file the base tree did not have, or any file
 * in diff-only mode), then the functions each commit touches. Returns what
 * to take back once the commit is checked: the touched functions as they
 * were before it (the commit itself is checked with both versions known).
 */
function learnFromFiles(table: PairTable, files: readonly ChangedFile[]): PendingForget[] {
  const pending: PendingForget[] = [];
  for (const file of files) {
    const touched = new Set(file.functionChanges().map((c) => c.name));
    // a pre-image already read is the base tree's file or an earlier commit's post-image: its evidence is in
    if (file.pre && !table.learned.hasRead(file.pre.path)) table.learned.observe(file.pre, touched);
    const forget = file.pre ? table.learned.pendingForget(file.pre, file.post, touched) : null;
    if (forget) pending.push(forget);
    if (file.post) table.learned.observe(file.post, touched);
  }
  return pending;
}

/** What lasts over the whole run: the inputs, what each stage keeps, and the findings so far. */
interface Run {
  config: ResolvedConfig;
  cache: ModelCache;
  images: ImageSource;
  enabled: readonly EnabledRule[];
  /** ids of every rule, and of the enabled ones: what a suppression may name, and what it silences */
  knownRules: ReadonlySet<string>;
  activeRules: ReadonlySet<string>;
  notes: RunNotes;
  tracker: SeriesTracker;
  lookups: CommitLookups;
  maker: FindingMaker;
  fixBases: FixBases;
  findings: Finding[];
  /** the index (from 0) of the commit of each finding */
  commitIndex: Map<Finding, number>;
  /** what would restore each pair finding's balance, for series attribution */
  repairs: Map<Finding, Repair>;
}

/** Suppression stage: pairlint-ignore comments and Pairlint-Ignore trailers; their own problems are findings too. */
function suppress(run: Run, scope: CommitScope, found: Finding[], reporter: ReturnType<FindingMaker['forCommit']>): Finding[] {
  const { commit, files, postTexts } = scope;
  const outcome = applySuppressions(
    found,
    collectSuppressions(commit, files, postTexts, commitMessagePath(commit)),
    run.knownRules,
    run.activeRules,
  );
  run.notes.countSilenced(outcome.suppressed);
  const kept = [...outcome.kept];
  for (const problem of outcome.problems) {
    const entry = run.enabled.find((e) => e.rule.meta.id === problem.ruleId);
    if (entry) reporter(entry.rule, entry.severity, kept)(draftOf(entry.rule, problem.report));
  }
  return kept;
}

/** Keep a commit's findings to the end of the run, each an own copy of its strings (see detach.ts). */
function record(run: Run, kept: readonly Finding[], index: number): void {
  for (const draftFinding of kept) {
    const finding = detached(draftFinding);
    run.findings.push(finding);
    run.commitIndex.set(finding, index);
    const repair = run.maker.repairs.get(draftFinding);
    if (repair && run.tracker.isSeriesSoFar) run.repairs.set(finding, detached(repair));
  }
}

/**
 * The images each file of a commit had: the series keeps them for the
 * squashed check, the fix bases follow the files fixes edit, the notes say
 * which were read diff-only. Returns each file's post-image by path.
 */
function seeImages(run: Run, read: readonly ReadFile[], index: number): Map<string, string> {
  const postTexts = new Map<string, string>();
  for (const { file, touched: { diff, img } } of read) {
    if (img.post) postTexts.set(file.path, img.post.text);
    run.fixBases.seeImages(img, index);
    run.notes.seeFile(img, file);
    run.tracker.recordFile(diff.oldPath, diff.newPath, img.pre?.text ?? null, img.post?.text ?? null, img.mode);
  }
  return postTexts;
}

/**
 * Learn pairs from the commit's files (learnFromFiles); a failure is a note,
 * and the rules still run. Returns what to forget once the rules have run.
 */
function learnPairs(run: Run, commit: Commit, number: number, files: readonly ChangedFile[]): PendingForget[] {
  try {
    return learnFromFiles(run.config.pairs, files);
  } catch (e) {
    run.notes.failed(`learning pairs from ${commitLabelForNote(commit, number)}`, e);
    return [];
  }
}

/** After the rules: the touched functions' pre-images leave the learned table, which follows the tree. */
function forgetPairs(run: Run, commit: Commit, number: number, pending: readonly PendingForget[]): void {
  try {
    for (const p of pending) run.config.pairs.learned.forget(p);
  } catch (e) {
    run.notes.failed(`learning pairs from ${commitLabelForNote(commit, number)}`, e);
  }
}

/** One commit through the stages: models → learn pairs → rules → forget pairs → suppress → fix → findings kept. */
async function lintCommit(run: Run, commit: Commit, fileImages: ReadonlyMap<FileDiff, FileImages>, number: number): Promise<void> {
  const { config, notes, tracker } = run;
  const index = number - 1;
  notes.seeCommit(commit);
  const { read, noFunctionTouched } = await commitFiles(commit, fileImages, run.images, run.cache, config.pairs, notes.binaryC, notes.failed);
  const files = read.map((r) => r.file);
  const postTexts = seeImages(run, read, index);
  // what the touched files show of pairs in use joins the learned table before the rules read it
  const toForget = noFunctionTouched ? [] : learnPairs(run, commit, number, files);
  notes.countChecked(files);
  tracker.recordCommit(index, commit, () => commitChanges(files, config.pairs));
  if (files.length === 0 && run.enabled.every((r) => r.rule.meta.category !== 'commit')) return;
  if (hasCommitMessage(commit)) postTexts.set(commitMessagePath(commit), commit.message);
  const model = modelService(files, config.pairs);
  const refs = await run.lookups.resolve(commit, run.enabled.map((e) => e.rule), model);
  const scope: CommitScope = { commit, number, files, postTexts };
  const reporter = run.maker.forCommit(scope);
  const label = files.length === 1 ? (files[0] as ChangedFile).path : commitLabelForNote(commit, number);
  const found = runRules({ scope, config, model, refs, noFunctionTouched, label }, run.enabled, reporter, notes.failed);
  forgetPairs(run, commit, number, toForget);
  const kept = suppress(run, scope, found, reporter);
  // Fix stage: edits that would repair the findings whose repair is mechanical
  attachFixes(kept, files, postTexts, config.pairs);
  run.fixBases.seeFixes(kept, postTexts, index);
  record(run, kept, index);
  run.lookups.note(commit);
}

/**
 * The series as a whole: which findings are still present at its end
 * (null over a history, or when it could not be told), and each finding
 * attributed to the commit that introduced it or named as repaired later.
 */
function settleSeries(run: Run): ReadonlySet<string> | null {
  const { tracker, findings } = run;
  if (!tracker.isSeries || !findings.some((f) => f.category !== 'commit')) return null;
  let stillPresent: ReadonlySet<string> | null = null;
  try {
    const pairRules = run.enabled.map((e) => e.rule).filter((r) => r.meta.category !== 'commit');
    stillPresent = squashedFingerprints(tracker, run.cache, run.config, pairRules);
  } catch (e) {
    run.notes.failed('the series as a whole (which findings are still present at its end)', e);
  }
  if (stillPresent) applySeriesAwareness(findings, tracker, (f) => run.commitIndex.get(f) ?? null, stillPresent, (f) => run.repairs.get(f) ?? null);
  return stillPresent;
}

export async function lint(
  commits: AsyncIterable<Commit> | Iterable<Commit>,
  images: ImageSource,
  series: SeriesInfo,
  config: ResolvedConfig,
  rules: readonly Rule[],
  env: LintEnv = {},
): Promise<LintResult> {
  await initCParser();
  const disk = env.cacheLocation ? DiskModelCache.open(env.cacheLocation) : null;
  const cache = new ModelCache(undefined, undefined, undefined, disk);
  try {
    return await lintWith(cache, commits, images, series, config, rules, env);
  } finally {
    cache.dispose();
    disk?.prune();
  }
}

async function lintWith(
  cache: ModelCache,
  commits: AsyncIterable<Commit> | Iterable<Commit>,
  images: ImageSource,
  series: SeriesInfo,
  config: ResolvedConfig,
  rules: readonly Rule[],
  env: LintEnv,
): Promise<LintResult> {
  const enabled = enabledRules(rules, config);
  const run: Run = {
    config,
    cache,
    images,
    enabled,
    knownRules: new Set(rules.map((r) => r.meta.id)),
    activeRules: new Set(enabled.map((r) => r.rule.meta.id)),
    notes: new RunNotes(),
    tracker: new SeriesTracker(),
    lookups: new CommitLookups(env.repo ?? null),
    maker: new FindingMaker(config),
    fixBases: new FixBases(),
    findings: [],
    commitIndex: new Map(),
    repairs: new Map(),
  };
  let commitCount = 0;
  for await (const { commit, images: fileImages } of withImages(commits, selectedOnly(images))) {
    commitCount++;
    await lintCommit(run, commit, fileImages, commitCount);
  }
  const stillPresent = settleSeries(run);
  const { findings, notes } = run;
  // a fix applies to the tree after the last commit: in a series, only for findings still present
  // there; over a history (no squashed check), only when no later commit changed the files it edits
  const fixBase = run.fixBases.settle(findings, stillPresent, (f) => run.commitIndex.get(f));
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), commits: commitCount, files: notes.checkedFiles },
    series,
    checkedFiles: notes.checkedFiles,
    notes: notes.list(),
    suppressed: notes.suppressed,
    ...(fixBase.size > 0 ? { fixBase } : {}),
  };
}
