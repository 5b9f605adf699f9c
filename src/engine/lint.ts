/**
 * The lint loop: for each commit (oldest first), get the file images, build
 * the C models once, run every enabled rule, and turn drafts into findings.
 * Commits are consumed one at a time so a long range never sits in memory.
 */
import type { Commit, FileDiff, SeriesInfo } from '../series/model.js';
import type { ImageSource } from '../images/source.js';
import type { FileImages } from '../images/types.js';
import { isCFile } from '../images/source.js';
import { initCParser } from '../cmodel/parse.js';
import type { ResolvedConfig } from '../config/load.js';
import type { PairTable } from '../pairs/table.js';
import type { Finding, FindingCommit, Severity, Summary } from '../rule/finding.js';
import type { CommitRef, FindingDraft, Repair, Rule } from '../rule/rule.js';
import { looksOnlyAtTouchedFunctions } from '../rule/rule.js';
import { changesOutsideFunctions } from './outside-functions.js';
import { mayDefineAny } from './name-index.js';
import { ChangedFile } from '../model/changed-file.js';
import { modelService } from '../model/service.js';
import { fingerprint } from './fingerprint.js';
import { globToRegExp } from './glob.js';
import { excerpt } from './excerpt.js';
import type { Excerpt } from '../rule/finding.js';
import { alignDiffToImages } from './shift.js';
import { lineEditsOf } from './line-edits.js';
import { withImages } from './prefetch.js';
import { detached } from './detach.js';
import { ModelCache } from './model-cache.js';
import { DiskModelCache } from './disk-cache.js';
import { SeriesTracker, applySeriesAwareness } from './series.js';
import { commitChanges } from './commit-changes.js';
import { CommitLookups, type CommitResolver } from './lookups.js';
import { COMMIT_MSG_PATH, commitMessagePath, hasCommitMessage, messageAnchor } from '../model/commit-message.js';
import { applySuppressions, collectSuppressions } from './suppress.js';
import { attachFixes, settleFixes } from '../fix/stage.js';
import { PairlintError } from '../errors.js';
import { makeModel } from '../cmodel/model.js';
import type { CFileModel } from '../cmodel/types.js';

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

/** Why a file or rule could not be checked, for a note: the error's message, on one line. */
function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').trim() || 'internal error';
}

/** The model of a file that could not be modelled: nothing in it, flagged as having errors. */
function unmodelled(path: string): CFileModel {
  return makeModel({ path, functions: [], initializers: [], hasErrors: true, errorLines: [] });
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

const DIFF_ONLY_NOTE = ' (diff-only: no source tree or repository was available, so only the hunks were read)';

function findingCommit(commit: Commit): FindingCommit | null {
  if (commit.source.kind === 'staged' && !commit.subject) return null;
  return {
    sha: commit.sha,
    subject: commit.subject,
    index: commit.patchNumber?.index ?? null,
    total: commit.patchNumber?.total ?? null,
  };
}

/** Fingerprints of the pair findings the series has as a whole (first pre-image to last post-image). */
function squashedFingerprints(tracker: SeriesTracker, cache: ModelCache, config: ResolvedConfig, rules: readonly Rule[]): Set<string> {
  const { commit, images } = tracker.squashed();
  const files: ChangedFile[] = [];
  for (const diff of commit.files) {
    const img = images.get(diff);
    if (!img) continue;
    const path = (diff.newPath ?? diff.oldPath) as string;
    const pre = img.pre !== null ? cache.get(path, img.pre) : null;
    const post = img.post !== null ? cache.get(path, img.post) : null;
    files.push(new ChangedFile(diff, img.mode, pre, post, config.pairs));
  }
  const prints = new Set<string>();
  const model = modelService(files, config.pairs);
  for (const rule of rules) {
    rule.check({
      commit,
      files,
      pairs: config.pairs,
      model,
      options: ruleOptions(rule, config),
      lookups: null,
      findings: [],
      report: (draft) => prints.add(fingerprint(rule.meta.id, draft.file, draft.function, draft.key)),
    });
  }
  return prints;
}

/**
 * Each touched file's images teach the learned pair table: the whole file the
 * first time its path is seen (a file the base tree did not have, or any file
 * in diff-only mode), then the functions each commit touches.
 */
function learnFromFiles(table: PairTable, files: readonly ChangedFile[]): void {
  for (const file of files) {
    const touched = new Set(file.functionChanges().map((c) => c.name));
    if (file.pre) table.learned.observe(file.pre, touched);
    if (file.post) table.learned.observe(file.post, touched);
  }
}

/** A commit as a note names it: its subject, else its number in the input. */
function commitLabelForNote(commit: Commit, index: number): string {
  return commit.subject ? `commit '${commit.subject}'` : `commit ${index}`;
}

interface Touched {
  diff: FileDiff;
  img: FileImages;
  aligned: FileDiff;
  /** every changed line is surely outside every function (outside-functions.ts) */
  outside: boolean;
}

/** The C files of `diffs` that have images, aligned to them; binary C files are noted in `binaryC`. */
function touchedFiles(diffs: readonly FileDiff[], fileImages: ReadonlyMap<FileDiff, FileImages>, binaryC: Set<string>): Touched[] {
  const touched: Touched[] = [];
  for (const diff of diffs) {
    const img = fileImages.get(diff);
    if (diff.binary && isCFile(diff.newPath ?? diff.oldPath)) binaryC.add((diff.newPath ?? diff.oldPath) as string);
    if (!img || diff.binary || !isCFile(diff.newPath ?? diff.oldPath)) continue;
    const aligned = alignDiffToImages(diff, img);
    touched.push({ diff, img, aligned, outside: img.mode === 'full' && changesOutsideFunctions(aligned, img) });
  }
  return touched;
}

/**
 * The image source without the context files of a pathspec range: their
 * images are read by movedContext, only for the commits that need them.
 * (Context files come only from range mode, whose git object source reads
 * each commit's images independently of the others, so the late read is
 * the same read.)
 */
function selectedOnly(images: ImageSource): ImageSource {
  return {
    kind: images.kind,
    imagesFor: (commit) => images.imagesFor(commit.files.some((f) => f.context) ? { ...commit, files: commit.files.filter((f) => !f.context) } : commit),
  };
}

/**
 * The context files of `commit` that may hold the other half of a move:
 * a function that disappeared from the selected files (every selected
 * post-image lacks it) and may be defined in the context file's
 * post-image, or one that appeared in them (every selected pre-image lacks
 * it) and may be defined in its pre-image. Read from git only when the
 * selected files lost or gained a function; decided by a name index
 * (name-index.ts), not a parse. `files` are the selected files, models built.
 */
async function movedContext(commit: Commit, files: readonly ChangedFile[], images: ImageSource, binaryC: Set<string>): Promise<Touched[]> {
  const context = commit.files.filter((f) => f.context);
  if (context.length === 0 || files.length === 0) return [];
  const gone = new Set<string>();
  const came = new Set<string>();
  for (const file of files) {
    for (const change of file.functionChanges()) {
      if (change.pre && !change.post) gone.add(change.name);
      if (change.post && !change.pre) came.add(change.name);
    }
  }
  for (const file of files) {
    for (const name of gone) if (file.post?.functionByName(name)) gone.delete(name);
    for (const name of came) if (file.pre?.functionByName(name)) came.delete(name);
  }
  if (gone.size === 0 && came.size === 0) return [];
  const contextImages = await images.imagesFor({ ...commit, files: context });
  return touchedFiles(context, contextImages, binaryC).filter(
    ({ img }) => (img.post !== null && mayDefineAny(img.post.text, gone)) || (img.pre !== null && mayDefineAny(img.pre.text, came)),
  );
}

export function effectiveSeverity(rule: Rule, config: ResolvedConfig): Severity | 'off' {
  return config.severities.get(rule.meta.id) ?? rule.meta.severity;
}

/** A rule's options: the defaults of meta.options, overridden by the preset and the config. */
export function ruleOptions(rule: Rule, config: ResolvedConfig): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(rule.meta.options ?? {})) defaults[key] = spec.default;
  return { ...defaults, ...config.options.get(rule.meta.id) };
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
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const ignores = config.ignore.map((e) => ({
    rule: e.rule,
    path: e.path ? globToRegExp(e.path) : null,
    fn: e.function ? globToRegExp(e.function) : null,
  }));
  const enabled = rules
    .map((rule) => ({ rule, severity: effectiveSeverity(rule, config) }))
    .filter((r): r is { rule: Rule; severity: Severity } => r.severity !== 'off');
  let commitCount = 0;
  let checkedFiles = 0;
  const tracker = new SeriesTracker();
  const commitIndex = new Map<Finding, number>();
  /** what would restore each pair finding's balance, for series attribution */
  const repairs = new Map<Finding, Repair>();
  const draftRepairs = new WeakMap<Finding, Repair>();
  let diffOnlySeen = false;
  /** C files changed as binary (`GIT binary patch`, "Binary files ... differ"): nothing to model */
  const binaryC = new Set<string>();
  const notes: string[] = [];
  const lookups = new CommitLookups(env.repo ?? null);
  const knownRules = new Set(rules.map((r) => r.meta.id));
  const activeRules = new Set(enabled.map((r) => r.rule.meta.id));
  let suppressed = 0;
  /** only `--commit-msg` messages: no C files are expected, so no note says so */
  let messagesOnly = true;
  /** for each file a fix edits, its post-image after the latest commit that touched it */
  const finalTexts = new Map<string, string>();
  /** for those files, the index of the last commit that changed them */
  const lastChange = new Map<string, number>();
  /**
   * Files and rules that failed (an internal error, a crash of the C parser):
   * each becomes a note "not checked: FILE: reason" and the rest of the
   * report is still written. User errors (PairlintError) still end the run.
   */
  const notChecked = new Map<string, string>();
  /** files of a full-image source read diff-only (a rename whose old text is not at hand) */
  const imageNotes = new Set<string>();
  const failed = (what: string, e: unknown): void => {
    if (e instanceof PairlintError) throw e;
    if (!notChecked.has(what)) notChecked.set(what, reasonOf(e));
  };

  for await (const { commit, images: fileImages } of withImages(commits, selectedOnly(images))) {
    commitCount++;
    if (commit.source.kind !== 'commit-msg') messagesOnly = false;
    const files: ChangedFile[] = [];
    const postTexts = new Map<string, string>();
    const touched = touchedFiles(commit.files, fileImages, binaryC);
    const preOf = ({ img }: Touched) => () => (img.pre ? cache.get(img.pre.path, img.pre.text) : null);
    const postOf = ({ img, aligned }: Touched) => () => {
      const origin = img.pre && img.post && img.pre.path === img.post.path ? { text: img.pre.text, edits: lineEditsOf(aligned) } : undefined;
      return img.post ? cache.get(img.post.path, img.post.text, origin) : null;
    };
    // A commit that touches no function (an #include, a comment, a macro between
    // functions, in every file) has nothing for the rules that look only at
    // touched functions: they do not run, and models are built only if another
    // rule asks for one (the same models, built when first read). A file the
    // lexical scan cannot clear (a file-scope macro call without a `;` before
    // the changed line, #if branches that leave different states) is decided
    // by its own models, so one such file of a tree-wide commit does not cost
    // the models of all the others.
    let noFunctionTouched = touched.length > 0;
    /** the files the scan could not clear, with their models built to decide */
    const decided = new Map<Touched, ChangedFile>();
    /** files whose models failed: a note each, and left out */
    const broken = new Set<Touched>();
    const pathOf = (t: Touched) => (t.diff.newPath ?? t.diff.oldPath) as string;
    for (const t of touched) {
      if (t.outside) continue;
      let file: ChangedFile;
      try {
        const pre = preOf(t)();
        file = new ChangedFile(t.aligned, t.img.mode, pre, postOf(t)(), config.pairs);
      } catch (e) {
        failed(pathOf(t), e);
        broken.add(t);
        continue;
      }
      decided.set(t, file);
      if (file.functionChanges().length > 0) {
        noFunctionTouched = false;
        break;
      }
    }
    // built when a rule first asks: a failure then leaves an empty model and a note
    const guarded = (path: string, build: () => CFileModel | null) => () => {
      try {
        return build();
      } catch (e) {
        failed(path, e);
        return unmodelled(path);
      }
    };
    const addFile = (t: Touched) => {
      if (broken.has(t)) return;
      const { diff, img, aligned, outside } = t;
      const path = pathOf(t);
      const known = decided.get(t);
      let file: ChangedFile;
      if (noFunctionTouched) {
        file = new ChangedFile(aligned, img.mode, known ? known.pre : guarded(path, preOf(t)), known ? known.post : guarded(path, postOf(t)), config.pairs, true);
      } else if (known) {
        // built as it would be here: a file the scan did not clear is not `outside`
        file = known;
      } else {
        let pre: CFileModel | null;
        let post: CFileModel | null;
        try {
          pre = preOf(t)();
          post = postOf(t)();
        } catch (e) {
          failed(path, e);
          return;
        }
        file = new ChangedFile(aligned, img.mode, pre, post, config.pairs, outside);
      }
      if (img.post) postTexts.set(file.path, img.post.text);
      if (img.pre && img.pre.path !== img.post?.path) finalTexts.delete(img.pre.path);
      else if (img.post && finalTexts.has(img.post.path)) {
        finalTexts.set(img.post.path, img.post.text);
        lastChange.set(img.post.path, commitCount - 1);
      }
      if (img.note) imageNotes.add(img.note);
      else if (file.diffOnly) diffOnlySeen = true;
      tracker.recordFile(diff.oldPath, diff.newPath, img.pre?.text ?? null, img.post?.text ?? null, img.mode);
      files.push(file);
    };
    for (const t of touched) addFile(t);
    // Context files of a pathspec range (outside it, see src/git/pathspec.ts):
    // read only when they may hold the other half of a move.
    if (!noFunctionTouched) for (const t of await movedContext(commit, files, images, binaryC)) addFile(t);
    // what the touched files show of pairs in use joins the learned table before the rules read it
    if (!noFunctionTouched) {
      try {
        learnFromFiles(config.pairs, files);
      } catch (e) {
        failed(`learning pairs from ${commitLabelForNote(commit, commitCount)}`, e);
      }
    }
    checkedFiles += files.filter((f) => !f.diff.context).length;
    tracker.recordCommit(commitCount - 1, commit, () => commitChanges(files, config.pairs));
    if (files.length === 0 && enabled.every((r) => r.rule.meta.category !== 'commit')) continue;
    const messagePath = commitMessagePath(commit);
    if (hasCommitMessage(commit)) postTexts.set(messagePath, commit.message);
    const model = modelService(files, config.pairs);
    const refs: ReadonlyMap<string, CommitRef | null> | null = await lookups.resolve(commit, enabled.map((e) => e.rule), model);
    const commitFindings: Finding[] = [];
    let anchor: ReturnType<typeof messageAnchor> | undefined;

    const reporter = (rule: Rule, ruleSeverity: Severity, sink: Finding[]) => (draft: FindingDraft) => {
      const severity = draft.maxSeverity && SEVERITY_RANK[draft.maxSeverity] < SEVERITY_RANK[ruleSeverity] ? draft.maxSeverity : ruleSeverity;
      const file = files.find((f) => f.path === draft.file);
      // outside the range's pathspec: read for its moves and helpers, not reported on
      if (file?.diff.context) return;
      const ignored = ignores.some(
        (ig) =>
          (ig.rule === '*' || ig.rule === rule.meta.id) &&
          (!ig.path || ig.path.test(draft.file)) &&
          (!ig.fn || (draft.function !== null && ig.fn.test(draft.function))),
      );
      if (ignored) return;
      const print = fingerprint(rule.meta.id, draft.file, draft.function, draft.key);
      const dedupe = `${print}\u0000${commit.sha ?? commitCount}`;
      if (seen.has(dedupe)) return;
      seen.add(dedupe);
      const excerpts: Excerpt[] = [];
      const primary = excerpt(draft.file, postTexts.get(draft.file) ?? null, draft.line);
      if (primary) excerpts.push(primary);
      for (const rel of draft.related) {
        const ex = excerpt(rel.file, postTexts.get(rel.file) ?? null, rel.line);
        if (ex) excerpts.push(ex);
      }
      const finding: Finding = {
        ruleId: rule.meta.id,
        category: rule.meta.category,
        severity,
        message: file?.diffOnly ? draft.message + DIFF_ONLY_NOTE : draft.message,
        file: draft.file,
        line: draft.line,
        function: draft.function,
        commit: findingCommit(commit),
        related: draft.related,
        fingerprint: print,
        excerpts,
      };
      if (draft.endLine !== undefined && draft.endLine !== draft.line) finding.endLine = draft.endLine;
      if (file?.diffOnly) finding.diffOnly = true;
      if (draft.repair) draftRepairs.set(finding, draft.repair);
      if (draft.file === COMMIT_MSG_PATH) {
        anchor ??= messageAnchor(commit);
        if (anchor) finding.anchor = anchor;
      }
      sink.push(finding);
    };
    // Two phases: `meta.after` rules run last and see what the others found in this commit.
    for (const after of [false, true]) {
      for (const { rule, severity } of enabled) {
        if ((rule.meta.after === true) !== after) continue;
        if (noFunctionTouched && looksOnlyAtTouchedFunctions(rule)) continue;
        try {
          rule.check({
            commit,
            files,
            pairs: config.pairs,
            model,
            options: ruleOptions(rule, config),
            lookups: refs,
            findings: after ? [...commitFindings] : [],
            report: reporter(rule, severity, commitFindings),
          });
        } catch (e) {
          const where = files.length === 1 ? (files[0] as ChangedFile).path : commitLabelForNote(commit, commitCount);
          failed(`${where} (rule ${rule.meta.id})`, e);
        }
      }
    }
    // Suppression stage: pairlint-ignore comments and Pairlint-Ignore trailers.
    const outcome = applySuppressions(
      commitFindings,
      collectSuppressions(commit, files, postTexts, messagePath),
      knownRules,
      activeRules,
    );
    suppressed += outcome.suppressed;
    const kept = [...outcome.kept];
    for (const problem of outcome.problems) {
      const entry = enabled.find((e) => e.rule.meta.id === problem.ruleId);
      if (entry) reporter(entry.rule, entry.severity, kept)(problem.draft);
    }
    // Fix stage: edits that would repair the findings whose repair is mechanical
    attachFixes(kept, files, postTexts, config.pairs);
    for (const f of kept) {
      for (const e of f.fix?.edits ?? []) {
        finalTexts.set(e.file, postTexts.get(e.file) as string);
        lastChange.set(e.file, commitCount - 1);
      }
    }
    for (const draftFinding of kept) {
      // kept to the end of the run: own copies of its strings (see detach.ts)
      const finding = detached(draftFinding);
      findings.push(finding);
      commitIndex.set(finding, commitCount - 1);
      const repair = draftRepairs.get(draftFinding);
      if (repair && tracker.isSeriesSoFar) repairs.set(finding, detached(repair));
    }
    lookups.note(commit);
  }

  let stillPresent: ReadonlySet<string> | null = null;
  if (tracker.isSeries && findings.some((f) => f.category !== 'commit')) {
    try {
      stillPresent = squashedFingerprints(tracker, cache, config, enabled.map((e) => e.rule).filter((r) => r.meta.category !== 'commit'));
    } catch (e) {
      failed('the series as a whole (which findings are still present at its end)', e);
    }
    if (stillPresent) applySeriesAwareness(findings, tracker, (f) => commitIndex.get(f) ?? null, stillPresent, (f) => repairs.get(f) ?? null);
  }
  for (const [what, reason] of notChecked) notes.push(`not checked: ${what}: ${reason}`);
  // a fix applies to the tree after the last commit: in a series, only for findings still present
  // there; over a history (no squashed check), only when no later commit changed the files it edits
  const present = stillPresent;
  const fixBase = settleFixes(findings, finalTexts, (f) =>
    present !== null ? present.has(f.fingerprint) : (f.fix?.edits ?? []).every((e) => lastChange.get(e.file) === commitIndex.get(f)),
  );

  if (diffOnlySeen) notes.push('diff-only mode: no source tree or repository, so rules read only the hunks');
  notes.push(...imageNotes);
  if (binaryC.size > 0) {
    const names = [...binaryC];
    const list = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    notes.push(`binary change${names.length === 1 ? '' : 's'} to ${list} not checked (no text to read)`);
  }
  if (checkedFiles === 0 && !messagesOnly) {
    notes.push(
      binaryC.size > 0
        ? 'nothing was checked: the only C changes are binary'
        : 'no C files (.c, .h) were changed: nothing to check for pairs',
    );
  }
  if (suppressed > 0) {
    notes.push(`${suppressed} finding${suppressed === 1 ? '' : 's'} silenced by pairlint-ignore comments or Pairlint-Ignore trailers`);
  }
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), commits: commitCount, files: checkedFiles },
    series,
    checkedFiles,
    notes,
    suppressed,
    ...(fixBase.size > 0 ? { fixBase } : {}),
  };
}
