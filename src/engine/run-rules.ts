/**
 * The rules stage of the lint loop: which rules run and how severe (preset,
 * config), the context each is given, the two phases (`meta.after` rules
 * last, seeing what the others found), and how a rule's draft becomes a
 * finding (ignores, fingerprint, dedupe, excerpts, anchor).
 */
import { movedInWhole } from '../model/moves.js';
import type { Commit } from '../series/model.js';
import type { ResolvedConfig } from '../config/load.js';
import type { Excerpt, Finding, FindingCommit, RelatedLocation, Severity } from '../rule/finding.js';
import type { CommitRef, FindingDraft, MessageData, Repair, ReportDescriptor, Rule, RuleOptions, RuleOptionSpecs } from '../rule/rule.js';
import { renderMessage } from '../rule/messages.js';
import type { PairTable } from '../pairs/table.js';
import { looksOnlyAtTouchedFunctions } from '../rule/rule.js';
import type { ChangedFile } from '../model/changed-file.js';
import type { ModelService } from '../model/service.js';
import { COMMIT_MSG_PATH, messageAnchor } from '../model/commit-message.js';
import { fingerprint } from './fingerprint.js';
import { globToRegExp } from './glob.js';
import { excerpt } from './excerpt.js';
import type { Failed } from './commit-files.js';

export interface EnabledRule {
  rule: Rule;
  severity: Severity;
}

export function effectiveSeverity(rule: Rule, config: ResolvedConfig): Severity | 'off' {
  return config.severities.get(rule.meta.id) ?? rule.meta.severity;
}

/**
 * A rule's options: the defaults of meta.options, overridden by the preset
 * and the config. Typed as the rule declares them: the config loader
 * validated each value against the same spec (validateRuleOptions).
 */
export function ruleOptions(rule: Rule, config: ResolvedConfig): RuleOptions<RuleOptionSpecs> {
  const defaults: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(rule.meta.options ?? {})) defaults[key] = spec.default;
  return { ...defaults, ...config.options.get(rule.meta.id) } as RuleOptions<RuleOptionSpecs>;
}

/** What one run of a rule sees besides the rule itself. */
export interface RuleInput {
  commit: Commit;
  files: readonly ChangedFile[];
  pairs: PairTable;
  model: ModelService;
  options: RuleOptions<RuleOptionSpecs>;
  lookups: ReadonlyMap<string, CommitRef | null> | null;
  findings: readonly Finding[];
}

/**
 * A report turned into a draft: its message, and each related location's
 * given by messageId, rendered from the rule's templates (throws on a bad id
 * or a missing value), each with its MessageRef.
 */
export function draftOf(rule: Rule, report: ReportDescriptor): FindingDraft {
  const render = (id: string, data: MessageData | undefined) => renderMessage(rule.meta.id, rule.meta.messages, id, data);
  const related = report.related.map((r): RelatedLocation =>
    'messageId' in r
      ? { file: r.file, line: r.line, function: r.function, message: render(r.messageId, r.data), messageRef: { id: r.messageId, data: r.data ?? {} } }
      : r,
  );
  const draft: FindingDraft = {
    ...report.at,
    message: render(report.messageId, report.data),
    messageRef: { id: report.messageId, data: report.data ?? {} },
    related,
    key: report.key,
  };
  if (report.maxSeverity !== undefined) draft.maxSeverity = report.maxSeverity;
  if (report.repair !== undefined) draft.repair = report.repair;
  return draft;
}

/**
 * Run one rule on one commit: create its visitors and call them (the order
 * RuleVisitors describes). The engine owns the loops over files, function
 * changes and pairs, so every rule sees them in the same order.
 */
export function runRule(rule: Rule, input: RuleInput, sink: (draft: FindingDraft) => void): void {
  const messages = rule.meta.messages;
  // the files the rules judge: not one a commit that says it moves code adds whole (its old self is out of sight,
  // so nothing in it is new); the model still reads it
  const files = input.files.filter((f) => !movedInWhole(input.commit.subject, f));
  const visitors = rule.create({
    ...input,
    files,
    report: (report) => sink(draftOf(rule, report)),
    format: (messageId: string, data?: MessageData) => renderMessage(rule.meta.id, messages, messageId, data),
  });
  visitors.commit?.();
  if (visitors.commitMessage && input.model.hasCommitMessage(input.commit)) visitors.commitMessage();
  if (!visitors.changedFile && !visitors.changedFunction && !visitors.pair) return;
  // called as methods: a rule may write its visitors as an object using `this`
  for (const file of files) {
    visitors.changedFile?.(file);
    if (visitors.changedFunction) for (const change of file.functionChanges()) visitors.changedFunction(file, change);
    if (visitors.pair) for (const p of file.postSides) visitors.pair(file, p);
  }
}

/** The rules the config leaves on, each with its severity. */
export function enabledRules(rules: readonly Rule[], config: ResolvedConfig): EnabledRule[] {
  return rules
    .map((rule) => ({ rule, severity: effectiveSeverity(rule, config) }))
    .filter((r): r is EnabledRule => r.severity !== 'off');
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

/** One commit as its findings are made: the commit, its number in the run (from 1), its files and post-images. */
export interface CommitScope {
  commit: Commit;
  number: number;
  files: readonly ChangedFile[];
  /** the post-image of each file (and the message), for excerpts */
  postTexts: ReadonlyMap<string, string>;
}

/** Turns each commit's drafts into findings: config ignores, fingerprints, no finding twice in a commit. */
export class FindingMaker {
  private readonly ignores: { rule: string; path: RegExp | null; fn: RegExp | null }[];
  /** fingerprint and commit of every finding made (a rule may report the same thing twice) */
  private readonly seen = new Set<string>();
  /** what would restore each pair finding's balance, as its draft said (series attribution) */
  readonly repairs = new WeakMap<Finding, Repair>();

  constructor(config: ResolvedConfig) {
    this.ignores = config.ignore.map((e) => ({
      rule: e.rule,
      path: e.path ? globToRegExp(e.path) : null,
      fn: e.function ? globToRegExp(e.function) : null,
    }));
  }

  /** The reporters of one commit: `reporter(rule, severity, sink)` pushes each finding of `rule` to `sink`. */
  forCommit(scope: CommitScope): (rule: Rule, ruleSeverity: Severity, sink: Finding[]) => (draft: FindingDraft) => void {
    let anchor: ReturnType<typeof messageAnchor> | undefined;
    const anchorOf = () => (anchor ??= messageAnchor(scope.commit));
    return (rule, ruleSeverity, sink) => (draft) => {
      const finding = this.make(scope, rule, ruleSeverity, draft, anchorOf);
      if (finding) sink.push(finding);
    };
  }

  private ignored(rule: Rule, draft: FindingDraft): boolean {
    return this.ignores.some(
      (ig) =>
        (ig.rule === '*' || ig.rule === rule.meta.id) &&
        (!ig.path || ig.path.test(draft.file)) &&
        (!ig.fn || (draft.function !== null && ig.fn.test(draft.function))),
    );
  }

  private make(scope: CommitScope, rule: Rule, ruleSeverity: Severity, draft: FindingDraft, anchorOf: () => ReturnType<typeof messageAnchor>): Finding | null {
    const { commit, files, postTexts } = scope;
    const severity = draft.maxSeverity && SEVERITY_RANK[draft.maxSeverity] < SEVERITY_RANK[ruleSeverity] ? draft.maxSeverity : ruleSeverity;
    const file = files.find((f) => f.path === draft.file);
    // outside the range's pathspec: read for its moves and helpers, not reported on
    if (file?.diff.context) return null;
    if (this.ignored(rule, draft)) return null;
    const print = fingerprint(rule.meta.id, draft.file, draft.function, draft.key);
    const dedupe = `${print}\u0000${commit.sha ?? scope.number}`;
    if (this.seen.has(dedupe)) return null;
    this.seen.add(dedupe);
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
      ...(draft.messageRef ? { messageRef: draft.messageRef } : {}),
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
    if (draft.repair) this.repairs.set(finding, draft.repair);
    if (draft.file === COMMIT_MSG_PATH) {
      const at = anchorOf();
      if (at) finding.anchor = at;
    }
    return finding;
  }
}

/** What the rules of one commit are given besides the commit itself. */
interface RulesInput {
  scope: CommitScope;
  config: ResolvedConfig;
  model: ModelService;
  /** commit ids the rules asked for, resolved (null: no repository) */
  refs: ReadonlyMap<string, CommitRef | null> | null;
  /** skip the rules that look only at touched functions */
  noFunctionTouched: boolean;
  /** where a crashed rule is noted, as "FILE (rule ID)" or "commit ... (rule ID)" */
  label: string;
}

/**
 * Run the enabled rules on one commit, in two phases: `meta.after` rules run
 * last and see what the others found. A rule that throws is noted (`failed`)
 * and the others still run.
 */
export function runRules(input: RulesInput, enabled: readonly EnabledRule[], reporter: ReturnType<FindingMaker['forCommit']>, failed: Failed): Finding[] {
  const { scope, config, model, refs, noFunctionTouched } = input;
  const found: Finding[] = [];
  for (const after of [false, true]) {
    for (const { rule, severity } of enabled) {
      if ((rule.meta.after === true) !== after) continue;
      if (noFunctionTouched && looksOnlyAtTouchedFunctions(rule)) continue;
      try {
        const input: RuleInput = {
          commit: scope.commit,
          files: scope.files,
          pairs: config.pairs,
          model,
          options: ruleOptions(rule, config),
          lookups: refs,
          findings: after ? [...found] : [],
        };
        runRule(rule, input, reporter(rule, severity, found));
      } catch (e) {
        failed(`${input.label} (rule ${rule.meta.id})`, e);
      }
    }
  }
  return found;
}
