/**
 * File images: the full text of a touched file before and after one commit.
 * "full" images come from git or a source tree; "diff-only" images are
 * rebuilt from hunk text alone (lines outside hunks are blank), so rules must
 * say that they worked without file context.
 */
export type ImageMode = 'full' | 'diff-only';

export interface FileImage {
  path: string;
  text: string;
}

export interface FileImages {
  /** null for an added file */
  pre: FileImage | null;
  /** null for a deleted file */
  post: FileImage | null;
  mode: ImageMode;
  /**
   * Only when the images were built by applying hunks and some hunk landed
   * away from the line its header names (the base differs from the patch's):
   * per hunk, in FileDiff.hunks order, add `oldShift` to a HunkLine.oldLine /
   * `newShift` to a HunkLine.newLine to get its line in `pre` / `post`.
   * Absent means every shift is 0.
   */
  hunkShifts?: { oldShift: number; newShift: number }[];
  /** Why this file's images are diff-only when the others are full (for a note). */
  note?: string;
}
