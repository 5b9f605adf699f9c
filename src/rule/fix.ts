/**
 * Fixes a reviewer can apply: edits of whole lines of a post-image, computed
 * after the rules from a finding's locations and the C model (src/fix/).
 * Every fix is a suggestion: it changes behaviour, so pairlint never applies
 * one itself; `--fix-patch FILE` writes them as a patch, and the json, sarif
 * and rdjson formats carry them.
 */

export type FixKind =
  /** skip-asymmetry: the same test before the release on the other side */
  | 'mirror-skip'
  /** call-asymmetry: the release call with the same object where the release side releases the rest */
  | 'add-release'
  /** error-path-leak: the missing release before the jump, as the normal release path makes it */
  | 'unwind-release';

/** Replace lines `line`..`endLine` (1-based, both included) of `file` with `text`. */
export interface FixEdit {
  file: string;
  line: number;
  endLine: number;
  /** the lines as they are, each ending in a newline: the anchor a fix is checked against */
  old: string;
  /** the new lines, each ending in a newline */
  text: string;
  /**
   * every replaced line is a line of a hunk of the commit's diff (reviewdog
   * shows a suggestion only there); false when it is not, or was not known
   */
  inHunk: boolean;
}

export interface Fix {
  kind: FixKind;
  /** one line: what the edit does */
  description: string;
  edits: FixEdit[];
}
