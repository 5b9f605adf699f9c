/**
 * The line edits of a file diff: each run of removed and added lines in a
 * hunk, as line ranges of the two images. The C model uses them to re-model
 * a post-image from its pre-image (and checks them against the texts).
 */
import type { LineEdit } from '../cmodel/parse.js';
import type { FileDiff } from '../series/model.js';

export function lineEditsOf(diff: FileDiff): LineEdit[] {
  const edits: LineEdit[] = [];
  for (const hunk of diff.hunks) {
    // an empty side of a hunk names the line before it (`@@ -5,0 +6,2 @@` inserts after line 5)
    let oldLine = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
    let newLine = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    let run: LineEdit | null = null;
    for (const line of hunk.lines) {
      if (line.kind === ' ') {
        if (run) edits.push({ ...run, oldEnd: oldLine, newEnd: newLine });
        run = null;
        oldLine++;
        newLine++;
        continue;
      }
      run ??= { oldStart: oldLine, oldEnd: oldLine, newStart: newLine, newEnd: newLine };
      if (line.kind === '-') oldLine++;
      else newLine++;
    }
    if (run) edits.push({ ...run, oldEnd: oldLine, newEnd: newLine });
  }
  return edits;
}
