/** What a rule is and what it is given. Rules read models; they never parse text or spawn git. */
import type { Commit } from '../series/model.js';
import type { PairTable } from '../pairs/table.js';
import type { Category, Finding, MessageRef, RelatedLocation, Severity } from './finding.js';
import type { RuleOptionSpec, RuleOptionType, SeveritySetting } from '../config/types.js';

export type { RuleOptionSpec } from '../config/types.js';
import type { ChangedFile, FunctionChange, ModelService } from './model.js';
import type { SidePair } from '../pairs/sides.js';

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

/** The options a rule declares (`meta.options`), by key. */
export type RuleOptionSpecs = Readonly<Record<string, RuleOptionSpec>>;

/** A rule with no options. */
export type NoOptions = Readonly<Record<never, RuleOptionSpec>>;

/** The value an option of type `T` has once validated and defaulted (src/config/load.ts validates by the same types). */
export type RuleOptionValue<T extends RuleOptionType> = T extends 'boolean'
  ? boolean
  : T extends 'strings'
    ? readonly string[]
    : T extends 'severity'
      ? SeveritySetting
      : string;

/** `context.options` of a rule declaring `O`: each key typed from its spec, so rules read options without casts. */
export type RuleOptions<O extends RuleOptionSpecs> = { readonly [K in keyof O]: RuleOptionValue<O[K]['type']> };

export interface RuleMeta<O extends RuleOptionSpecs = RuleOptionSpecs, M extends string = string> {
  id: string;
  category: Category;
  /** default severity (a preset or config may change it, or turn the rule off) */
  severity: Severity;
  /** one line, for `pairlint rules` and SARIF shortDescription */
  summary: string;
  docs: RuleDocs;
  /**
   * The rule's messages by id, as templates with `{{name}}` placeholders
   * filled from a report's `data` (renderMessage in src/rule/messages.ts).
   * Whole sentences: a report names one, and an optional clause is a smaller
   * template of the same rule rendered with `context.format`.
   */
  messages: Readonly<Record<M, string>>;
  /** options the rule takes (`rules.<id>.options` in the config): validated, and defaulted into context.options */
  options?: O;
  /**
   * Run after the other rules of the same commit, with their findings in
   * `context.findings` (rules that judge what other rules found, e.g. skip-justified).
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

/**
 * A finding as the engine makes it from a report: the message rendered. The
 * engine's own problems (the suppression stage) are made as drafts directly.
 */
export interface FindingDraft {
  file: string;
  line: number;
  endLine?: number;
  function: string | null;
  message: string;
  /** the rule's template and data `message` was rendered from */
  messageRef?: MessageRef;
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

/** Where a finding is: the line (and last line) in `file`, and the function it is in (null outside one). */
export interface ReportLocation {
  file: string;
  line: number;
  endLine?: number;
  function: string | null;
}

/** The values of a message's placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

/**
 * A related location whose message is one of the rule's own templates, by id
 * and data as a report's (the engine renders it). A related location may
 * instead carry its message as plain text (RelatedLocation).
 */
export interface RelatedReport<M extends string = string> {
  file: string;
  line: number;
  function: string | null;
  messageId: M;
  data?: MessageData;
}

/** What a rule reports (`context.report`): a message by id and data, the engine renders it. */
export interface ReportDescriptor<M extends string = string> {
  at: ReportLocation;
  messageId: M;
  /** a value for every `{{name}}` of the message (a missing one is an internal error) */
  data?: MessageData;
  /** the other locations of the finding: each with a template of the rule (messageId, data) or a plain message */
  related: (RelatedLocation | RelatedReport<M>)[];
  /** line-independent text that identifies this finding (callees, predicate, functions) */
  key: string;
  /** see FindingDraft.repair */
  repair?: Repair;
  /** see FindingDraft.maxSeverity */
  maxSeverity?: Severity;
}

/** What `create` is given: the commit, its files and models, the options, and `report`. */
export interface RuleContext<O extends RuleOptionSpecs = NoOptions, M extends string = string> {
  commit: Commit;
  /** the C files this commit touches, with images and models */
  files: readonly ChangedFile[];
  pairs: PairTable;
  /** the questions a rule asks of the model stage, for this commit (src/model/service.ts) */
  model: ModelService;
  /** the rule's options: config values over the defaults in meta.options */
  options: RuleOptions<O>;
  /**
   * Commit ids the rules asked for (Rule.lookup), resolved before the rules ran:
   * key is the id as written (lower case), null when the repository does not
   * have it. `null` as a whole when there is no repository to ask.
   */
  lookups: ReadonlyMap<string, CommitRef | null> | null;
  /** for `meta.after` rules: the findings the other rules reported for this commit; empty otherwise */
  findings: readonly Finding[];
  report(descriptor: ReportDescriptor<M>): void;
  /** One of the rule's own messages rendered, for an optional clause passed as data to another. */
  format(messageId: M, data?: MessageData): string;
}

/**
 * What `create` returns: the engine calls each visitor the rule has, in this
 * order: commit() once; commitMessage() when the commit has a message; then
 * for each file of `context.files`, changedFile(file), changedFunction(file,
 * change) for each of its function changes, pair(file, pair) for each pair
 * its post-image has.
 */
export interface RuleVisitors {
  commit?(): void;
  commitMessage?(): void;
  changedFile?(file: ChangedFile): void;
  changedFunction?(file: ChangedFile, change: FunctionChange): void;
  pair?(file: ChangedFile, pair: SidePair): void;
}

/**
 * A rule, ESLint's shape: meta (with messages and options) and create. `O`
 * and `M` type `context.options` and the message ids; the registry holds
 * rules as `Rule` (any options, any ids).
 */
export interface Rule<O extends RuleOptionSpecs = RuleOptionSpecs, M extends string = string> {
  meta: RuleMeta<O, M>;
  /** called once per commit (and once more on a series as a whole); the visitors see that commit */
  create(context: RuleContext<O, M>): RuleVisitors;
  /**
   * commit ids this rule wants resolved for `commit` (abbreviated or full hex),
   * see RuleContext.lookups; `model` is the commit's model service (its message helpers)
   */
  lookup?(commit: Commit, model: ModelService): Iterable<string>;
}

