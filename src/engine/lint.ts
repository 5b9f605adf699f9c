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
import type { Finding, FindingCommit, Severity, Summary } from './finding.js';
import type { CommitRef, FindingDraft, Repair, Rule } from './rule.js';
import { looksOnlyAtTouchedFunctions } from './rule.js';
import { changesOutsideFunctions } from './outside-functions.js';
import { ChangedFile } from './changed-file.js';
import { fingerprint } from './fingerprint.js';
import { globToRegExp } from './glob.js';
import { excerpt, type Excerpt } from './excerpt.js';
import { alignDiffToImages } from './shift.js';
import { lineEditsOf } from './line-edits.js';
import { withImages } from './prefetch.js';
import { detached } from './detach.js';
import { ModelCache } from './model-cache.js';
import { SeriesTracker, applySeriesAwareness } from './series.js';
import { commitChanges } from './commit-changes.js';
import { CommitLookups, type CommitResolver } from './lookups.js';
import { COMMIT_MSG_PATH, commitMessagePath, hasCommitMessage, messageAnchor } from './commit-message.js';
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
  for (const rule of rules) {
    rule.check({
      commit,
      files,
      pairs: config.pairs,
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
  const cache = new ModelCache();
  try {
    return await lintWith(cache, commits, images, series, config, rules, env);
  } finally {
    cache.dispose();
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

  for await (const { commit, images: fileImages } of withImages(commits, images)) {
    commitCount++;
    if (commit.source.kind !== 'commit-msg') messagesOnly = false;
    const files: ChangedFile[] = [];
    const postTexts = new Map<string, string>();
    const touched: { diff: FileDiff; img: FileImages; aligned: FileDiff; outside: boolean }[] = [];
    for (const diff of commit.files) {
      const img = fileImages.get(diff);
      if (diff.binary && isCFile(diff.newPath ?? diff.oldPath)) binaryC.add((diff.newPath ?? diff.oldPath) as string);
      if (!img || diff.binary || !isCFile(diff.newPath ?? diff.oldPath)) continue;
      const aligned = alignDiffToImages(diff, img);
      touched.push({ diff, img, aligned, outside: img.mode === 'full' && changesOutsideFunctions(aligned, img) });
    }
    // A commit that touches no function (an #include, a comment, a macro between
    // functions, in every file) has nothing for the rules that look only at
    // touched functions: they do not run, and models are built only if another
    // rule asks for one (the same models, built when first read).
    const noFunctionTouched = touched.length > 0 && touched.every((t) => t.outside);
    for (const { diff, img, aligned, outside } of touched) {
      const path = (diff.newPath ?? diff.oldPath) as string;
      const preOf = () => (img.pre ? cache.get(img.pre.path, img.pre.text) : null);
      const postOf = () => {
        const origin = img.pre && img.post && img.pre.path === img.post.path ? { text: img.pre.text, edits: lineEditsOf(aligned) } : undefined;
        return img.post ? cache.get(img.post.path, img.post.text, origin) : null;
      };
      let file: ChangedFile;
      if (noFunctionTouched) {
        // built when a rule first asks: a failure then leaves an empty model and a note
        const guarded = (build: () => CFileModel | null) => () => {
          try {
            return build();
          } catch (e) {
            failed(path, e);
            return unmodelled(path);
          }
        };
        file = new ChangedFile(aligned, img.mode, guarded(preOf), guarded(postOf), config.pairs, true);
      } else {
        let pre: CFileModel | null;
        let post: CFileModel | null;
        try {
          pre = preOf();
          post = postOf();
        } catch (e) {
          failed(path, e);
          continue;
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
    }
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
    const refs: ReadonlyMap<string, CommitRef | null> | null = await lookups.resolve(commit, enabled.map((e) => e.rule));
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
