import type { Finding } from '../rule/finding.js';

/** "N/M subject (sha)" for the commit a finding belongs to, or null. */
export function commitTitle(f: Finding): string | null {
  const c = f.commit;
  if (!c) return null;
  const num = c.index !== null && c.total !== null ? `${c.index}/${c.total} ` : '';
  const sha = c.sha && !/^0+$/.test(c.sha) ? ` (${c.sha.slice(0, 12)})` : '';
  return `${num}${c.subject}${sha}`;
}

/** `commit message of N/M subject (sha), line L`: where a finding in a commit message (COMMIT_MSG) points. */
export function messagePlace(f: Finding): string {
  const title = commitTitle(f);
  return `commit message${title ? ` of ${title}` : ''}, line ${f.line}`;
}
