/** What a rule is and what it is given. Rules read models; they never parse text or spawn git. */
import type { Commit } from '../series/model.js';
import type { PairTable } from '../pairs/table.js';
import type { Category, Finding, RelatedLocation, Severity } from './finding.js';
import type { RuleOptionSpec } from '../config/types.js';

export type { RuleOptionSpec } from '../config/types.js';
import type { ChangedFile, ModelService } from './model.js';

export interface RuleDocs {
  /** what the rule reports */
  what: string;
  /** why it matters */
  why: string;
  /** how to fix a finding */
  fix: string;
  /** a patch or code that fires */
  bad: string;
  /** the same change done right */
  good: string;
}

export interface RuleMeta {
  id: string;
  category: Category;
  /** default severity (a preset or config may change it, or turn the rule off) */
  severity: Severity;
  /** one line, for `pairlint rules` and SARIF shortDescription */
  summary: string;
  docs: RuleDocs;
  /** options the rule takes (`rules.<id>.options` in the config): validated, and defaulted into ctx.options */
  options?: Readonly<Record<string, RuleOptionSpec>>;
  /**
   * Run after the other rules of the same commit, with their findings in
   * `ctx.findings` (rules that judge what other rules found, e.g. skip-justified).
   */
  after?: boolean;
  /**
   * 'touched-functions': the rule reports only on functions the commit
   * touched (ChangedFile.functionChanges / touched), so a commit that touches
   * no function is not shown to it, and needs no C model for it. Rules of
   * the `pair` and `domain` categories are all such rules (see
   * looksOnlyAtTouchedFunctions); others say so here.
   */
  scope?: 'touched-functions';
}

/** Does the rule look only at functions a commit touched (see RuleMeta.scope)? */
export function looksOnlyAtTouchedFunctions(rule: Rule): boolean {
  return rule.meta.scope === 'touched-functions' || rule.meta.category === 'pair' || rule.meta.category === 'domain';
}

export interface FindingDraft {
  file: string;
  line: number;
  endLine?: number;
  function: string | null;
  message: string;
  related: RelatedLocation[];
  /** line-independent text that identifies this finding (callees, predicate, functions) */
  key: string;
  /**
   * At most this severity, whatever the rule's (a rule's lesser findings:
   * signed-off-by's placement warning). The rule's severity still applies
   * when it is lower.
   */
  maxSeverity?: Severity;
  /**
   * What a later commit of a series must do to restore the balance this
   * finding names: call one of `callees`, or change a condition naming one of
   * `names`, in one of `functions` (or the finding's own function). Only such
   * a commit is named as the one that fixed it.
   */
  repair?: Repair;
}

export interface Repair {
  callees: readonly string[];
  functions: readonly string[];
  names?: readonly string[];
}

/** A commit named in a message (Fixes:, This reverts commit ...), as the repository knows it. */
export interface CommitRef {
  /** full commit id */
  sha: string;
  /** git's %s */
  subject: string;
}

export interface RuleContext {
  commit: Commit;
  /** the C files this commit touches, with images and models */
  files: readonly ChangedFile[];
  pairs: PairTable;
  /** the questions a rule asks of the model stage, for this commit (src/model/service.ts) */
  model: ModelService;
  /** the rule's options: config values over the defaults in meta.options */
  options: Readonly<Record<string, unknown>>;
  /**
   * Commit ids the rules asked for (Rule.lookup), resolved before the rules ran:
   * key is the id as written (lower case), null when the repository does not
   * have it. `null` as a whole when there is no repository to ask.
   */
  lookups: ReadonlyMap<string, CommitRef | null> | null;
  /** for `meta.after` rules: the findings the other rules reported for this commit; empty otherwise */
  findings: readonly Finding[];
  report(draft: FindingDraft): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * commit ids this rule wants resolved for `commit` (abbreviated or full hex),
   * see RuleContext.lookups; `model` is the commit's model service (its message helpers)
   */
  lookup?(commit: Commit, model: ModelService): Iterable<string>;
}
