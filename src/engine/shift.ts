import type { FileDiff } from '../series/model.js';
import type { FileImages } from '../images/types.js';

/**
 * When hunks were applied at an offset (the tree differs a little from the
 * patch's base), move the diff's line numbers to where the lines really are
 * in the images, so rules and reports point at the right lines.
 */
export function alignDiffToImages(diff: FileDiff, images: FileImages): FileDiff {
  const shifts = images.hunkShifts;
  if (!shifts || shifts.every((s) => s.oldShift === 0 && s.newShift === 0)) return diff;
  return {
    ...diff,
    hunks: diff.hunks.map((hunk, i) => {
      const s = shifts[i] ?? { oldShift: 0, newShift: 0 };
      return {
        ...hunk,
        oldStart: hunk.oldStart + s.oldShift,
        newStart: hunk.newStart + s.newShift,
        lines: hunk.lines.map((l) => ({
          ...l,
          ...(l.oldLine !== undefined ? { oldLine: l.oldLine + s.oldShift } : {}),
          ...(l.newLine !== undefined ? { newLine: l.newLine + s.newShift } : {}),
        })),
      };
    }),
  };
}
