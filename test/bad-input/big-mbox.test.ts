/**
 * A 50 MB mbox through the real process, with the V8 heap capped: the input
 * is read once and parsed into a series whose size is proportional to it, so
 * a heap of about five times the input is enough. Timing is not asserted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runBin, type JsonReport } from '../support/cli.js';
import { LISTENER, LISTENER_PATH, SKIP_EDIT, listenerDiff, mail, makeTree } from './helpers.js';

afterAll(cleanupTempDirs);

const NOTES = 'line one\nline two\nline three\n';

/** Mails that add a line to docs/notes.txt and take it out again, until `bytes`; then one C patch. */
function bigMbox(bytes: number): { text: string; mails: number } {
  const filler = `${'Some words to make the commit message as long as real ones are. '.repeat(12)}\n`.repeat(12);
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes || n % 2 === 1) {
    const sign = n % 2 === 0 ? '+' : '-';
    const counts = n % 2 === 0 ? '@@ -1,3 +1,4 @@' : '@@ -1,4 +1,3 @@';
    const diff = `diff --git a/docs/notes.txt b/docs/notes.txt\n--- a/docs/notes.txt\n+++ b/docs/notes.txt\n${counts}\n line one\n${sign}added ${n >> 1}\n line two\n line three\n`;
    const m = mail(diff, { subject: `[PATCH ${n + 1}/N] docs: note ${n}`, body: filler });
    parts.push(m);
    size += m.length;
    n++;
  }
  parts.push(mail(listenerDiff(SKIP_EDIT)));
  return { text: parts.join(''), mails: n + 1 };
}

describe('a 50 MB mbox', () => {
  it('is read with a bounded heap, every commit of it', () => {
    const { text, mails } = bigMbox(50 * 1024 * 1024);
    expect(text.length).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    const path = join(tempDir('pairlint-big-'), 'big.mbox');
    writeFileSync(path, text);
    const tree = makeTree({ [LISTENER_PATH]: LISTENER, 'docs/notes.txt': NOTES });
    const run = runBin(['--tree', tree, path, '--format', 'json'], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary.commits).toBe(mails);
    expect(report.findings.filter((f) => f.ruleId === 'skip-asymmetry')).toHaveLength(1);
  }, 60_000);
});
