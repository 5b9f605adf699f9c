/** Images rebuilt from hunk text alone, for when no file is available. */
import type { FileDiff } from '../series/model.js';
import type { FileImages } from './types.js';

/**
 * Pre/post texts with every hunk line at its own line number (old lines at
 * oldLine, new lines at newLine) and blank lines everywhere else, so that line
 * numbers in the images are the patch's. null pre for an added file, null post
 * for a deleted one.
 */
export function diffOnlyFileImages(file: FileDiff): FileImages {
  const oldText: string[] = [];
  const newText: string[] = [];
  for (const hunk of file.hunks) {
    for (const l of hunk.lines) {
      if (l.kind !== '+' && l.oldLine !== undefined && l.oldLine > 0) oldText[l.oldLine - 1] = l.text;
      if (l.kind !== '-' && l.newLine !== undefined && l.newLine > 0) newText[l.newLine - 1] = l.text;
    }
  }
  const build = (lines: string[]): string => {
    if (lines.length === 0) return '';
    const filled = Array.from(lines, (l) => l ?? '');
    return `${filled.join('\n')}\n`;
  };
  return {
    pre: file.status === 'added' || file.oldPath === null ? null : { path: file.oldPath, text: build(oldText) },
    post: file.status === 'deleted' || file.newPath === null ? null : { path: file.newPath, text: build(newText) },
    mode: 'diff-only',
  };
}
