/**
 * The lint loop: for each commit (oldest first), get the file images, build
 * the C models once, run every enabled rule, and turn drafts into findings.
 * Commits are consumed one at a time so a long range never sits in memory.
 */
import type { Commit, SeriesInfo } from '../series/model.js';
import type { ImageSource } from '../images/source.js';
import { isCFile } from '../images/source.js';
import type { CFileModel } from '../cmodel/types.js';
import { buildFileModel, initCParser } from '../cmodel/parse.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Finding, FindingCommit, Severity, Summary } from './finding.js';
import type { FindingDraft, Rule } from './rule.js';
import { ChangedFile } from './changed-file.js';
import { fingerprint } from './fingerprint.js';
import { globToRegExp } from './glob.js';
import { excerpt, type Excerpt } from './excerpt.js';
import { alignDiffToImages } from './shift.js';
import { SeriesTracker, applySeriesAwareness } from './series.js';

export interface LintResult {
  findings: Finding[];
  summary: Summary;
  series: SeriesInfo;
  /** C files that were modelled (over all commits) */
  checkedFiles: number;
  /** notes for the user: diff-only mode, files skipped */
  notes: string[];
}

const DIFF_ONLY_NOTE = ' (diff-only: no source tree or repository was available, so only the hunks were read)';

/** Small cache: the post-image of commit k is the pre-image of commit k+1. */
class ModelCache {
  private readonly map = new Map<string, CFileModel>();
  constructor(private readonly limit = 32) {}
  get(path: string, text: string): CFileModel {
    const key = `${path}\u0000${text}`;
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const model = buildFileModel(path, text);
    this.map.set(key, model);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
    return model;
  }
}

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
      options: config.options.get(rule.meta.id) ?? {},
      report: (draft) => prints.add(fingerprint(rule.meta.id, draft.file, draft.function, draft.key)),
    });
  }
  return prints;
}

export function effectiveSeverity(rule: Rule, config: ResolvedConfig): Severity | 'off' {
  return config.severities.get(rule.meta.id) ?? rule.meta.severity;
}

export async function lint(
  commits: AsyncIterable<Commit> | Iterable<Commit>,
  images: ImageSource,
  series: SeriesInfo,
  config: ResolvedConfig,
  rules: readonly Rule[],
): Promise<LintResult> {
  await initCParser();
  const cache = new ModelCache();
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
  let diffOnlySeen = false;
  const notes: string[] = [];

  for await (const commit of commits) {
    commitCount++;
    const fileImages = await images.imagesFor(commit);
    const files: ChangedFile[] = [];
    const postTexts = new Map<string, string>();
    for (const diff of commit.files) {
      const img = fileImages.get(diff);
      if (!img || diff.binary || !isCFile(diff.newPath ?? diff.oldPath)) continue;
      const pre = img.pre ? cache.get(img.pre.path, img.pre.text) : null;
      const post = img.post ? cache.get(img.post.path, img.post.text) : null;
      const file = new ChangedFile(alignDiffToImages(diff, img), img.mode, pre, post, config.pairs);
      if (img.post) postTexts.set(file.path, img.post.text);
      if (file.diffOnly) diffOnlySeen = true;
      tracker.recordFile(diff.oldPath, diff.newPath, img.pre?.text ?? null, img.post?.text ?? null, img.mode);
      files.push(file);
    }
    checkedFiles += files.length;
    tracker.recordCommit(
      commitCount - 1,
      commit,
      new Map(files.map((f) => [f.path, new Set(f.functionChanges().map((c) => c.name))])),
    );
    if (files.length === 0 && enabled.every((r) => r.rule.meta.category !== 'commit')) continue;

    for (const { rule, severity } of enabled) {
      const report = (draft: FindingDraft) => {
        const file = files.find((f) => f.path === draft.file);
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
        findings.push(finding);
        commitIndex.set(finding, commitCount - 1);
      };
      rule.check({
        commit,
        files,
        pairs: config.pairs,
        options: config.options.get(rule.meta.id) ?? {},
        report,
      });
    }
  }

  if (tracker.commitCount > 1 && findings.some((f) => f.category !== 'commit')) {
    const stillPresent = squashedFingerprints(tracker, cache, config, enabled.map((e) => e.rule).filter((r) => r.meta.category !== 'commit'));
    applySeriesAwareness(findings, tracker, (f) => commitIndex.get(f) ?? null, stillPresent);
  }

  if (diffOnlySeen) notes.push('diff-only mode: no source tree or repository, so rules read only the hunks');
  if (checkedFiles === 0) notes.push('no C files (.c, .h) were changed: nothing to check for pairs');
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return {
    findings,
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), commits: commitCount, files: checkedFiles },
    series,
    checkedFiles,
    notes,
  };
}
