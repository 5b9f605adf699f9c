/** What a rule is and what it is given. Rules read models; they never parse text or spawn git. */
import type { Commit } from '../series/model.js';
import type { PairTable } from '../pairs/table.js';
import type { Category, RelatedLocation, Severity } from './finding.js';
import type { ChangedFile } from './changed-file.js';

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
}

export interface RuleContext {
  commit: Commit;
  /** the C files this commit touches, with images and models */
  files: readonly ChangedFile[];
  pairs: PairTable;
  options: Readonly<Record<string, unknown>>;
  report(draft: FindingDraft): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
