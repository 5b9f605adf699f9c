import type { Summary } from '../rule/finding.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "1 error, 0 warnings, 0 infos" */
export function severityCounts(s: Summary): string {
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')}`;
}

/** "2 commits (4 C files checked)" */
export function scope(s: Summary): string {
  return `${plural(s.commits, 'commit')} (${plural(s.files, 'C file')} checked)`;
}
