/**
 * `--format checkpatch`: lines as `scripts/checkpatch.pl -q --terse --showfile`
 * prints them, one per finding, and nothing at all on a clean run:
 *
 *   hw/demo/listener.c:48: ERROR: demo_listener_region_add() now returns ... [skip-asymmetry]
 *
 * error → `ERROR:`, warning → `WARNING:`, info → `CHECK:`.
 *
 * Made for b4 (`b4 prep --check`), with `.b4-config`:
 *
 *   [b4]
 *       prep-perpatch-check-cmd = pairlint --format checkpatch -
 *
 * What b4 does with it (b4 `src/b4/ez.py` check() and
 * `LoreMessage.run_local_check()` in `src/b4/__init__.py`): it splits the
 * command with shlex, runs it once per patch of the prep branch (not for the
 * cover letter) at the top of the work tree, with that one patch as an email
 * on stdin. Then it reads stdout line by line (after stripping the whole
 * output): a line containing `ERROR:` counts as a failure, EVERY other line
 * as a warning (so `WARNING:` and `CHECK:` are both warnings, and so would be
 * a summary or a blank line in the middle); a leading `-:` is dropped. Every
 * line on stderr is a failure. Only when stdout and stderr are both empty
 * does the exit status matter: 0 is "passed all checks", anything else a
 * failure. Results are cached per command and commit (`--no-cache` reruns).
 *
 * Hence: nothing on a clean run (not even notes), exactly one line per
 * finding, the message folded onto that line, and the word `ERROR:` never
 * inside the text of a non-error line.
 */
import type { Finding, Severity } from '../rule/finding.js';
import type { Reporter } from './types.js';

const LEVEL: Readonly<Record<Severity, string>> = { error: 'ERROR', warning: 'WARNING', info: 'CHECK' };

/** One line of output for a finding. */
export function checkpatchLine(f: Finding): string {
  let message = f.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  // b4 classifies a line as a failure if `ERROR:` appears anywhere in it.
  if (f.severity !== 'error') message = message.replace(/ERROR:/g, 'ERROR -');
  return `${f.file}:${f.line}: ${LEVEL[f.severity]}: ${message} [${f.ruleId}]`;
}

export const checkpatchReporter: Reporter = {
  name: 'checkpatch',
  description: 'checkpatch.pl --terse lines, for b4 prep --check (nothing on a clean run)',
  format(result) {
    // a file that could not be checked is not a pass: b4 shows it as a warning
    const notChecked = result.notes.filter((n) => n.startsWith('not checked: ')).map((n) => `WARNING: ${n.replace(/ERROR:/g, 'ERROR -')} [pairlint]`);
    const lines = [...result.findings.map(checkpatchLine), ...notChecked];
    return lines.length === 0 ? '' : lines.join('\n') + '\n';
  },
};
