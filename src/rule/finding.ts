/** A finding: what rules emit and reporters print. */
import type { Fix } from './fix.js';

/** Source lines around a location, for code frames (src/engine/excerpt.ts reads them). */
export interface ExcerptLine {
  line: number;
  text: string;
}

export interface Excerpt {
  file: string;
  line: number;
  lines: ExcerptLine[];
}

export type Severity = 'error' | 'warning' | 'info';
/** `suppression`: findings about pairlint-ignore comments and Pairlint-Ignore trailers themselves */
export type Category = 'pair' | 'domain' | 'commit' | 'suppression';

/**
 * The template a message was rendered from: the id of one of the rule's
 * `meta.messages` and the values of its placeholders (SARIF gives them as
 * `message.id` and `message.arguments`).
 */
export interface MessageRef {
  id: string;
  data: Readonly<Record<string, string | number>>;
}

export interface RelatedLocation {
  file: string;
  line: number;
  function: string | null;
  message: string;
  /** when the message came from a template of the rule (a related report with `messageId`) */
  messageRef?: MessageRef;
}

export interface FindingCommit {
  sha: string | null;
  subject: string;
  /** position in the series, "N/M" when the input numbered it */
  index: number | null;
  total: number | null;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  /** the whole message: the rendered template, with any note the engine adds (diff-only, the series' "introduced by") */
  message: string;
  /** the template `message` was rendered from (engine-made findings have one too: their messages are rules') */
  messageRef?: MessageRef;
  file: string;
  line: number;
  endLine?: number;
  function: string | null;
  commit: FindingCommit | null;
  related: RelatedLocation[];
  /** stable across unrelated line moves: built from rule, file, functions and key text */
  fingerprint: string;
  /** true when the file was read from hunks only (no tree, no repository) */
  diffOnly?: boolean;
  /**
   * For a finding in a commit message (file COMMIT_MSG): the first line the
   * commit adds or changes in a file of the repository, where a tool that only
   * shows repository files (SARIF code scanning) puts it. None when the commit
   * changes no text file that exists after it.
   */
  anchor?: { file: string; line: number };
  /** source lines of the primary and related locations, for code frames */
  excerpts?: Excerpt[];
  /** an edit that would repair it, as a suggestion (src/fix/); never applied by pairlint */
  fix?: Fix;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  commits: number;
  files: number;
}
