/** --format checkpatch: checkpatch.pl --terse lines for b4 prep --check. */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { checkpatchLine, checkpatchReporter } from '../../src/report/checkpatch.js';
import { SEED_PRESENT, finding, lintResult, runClean, runExample, runSeed } from './helpers.js';

const opts = { color: false, rules: RULES, cwd: '/' };

describe('checkpatch', () => {
  it('a clean run prints nothing at all, exit 0', async () => {
    const run = await runClean('checkpatch');
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('nothing even when the result carries notes', () => {
    expect(checkpatchReporter.format(lintResult([], { notes: ['diff-only mode: ...'] }), opts)).toBe('');
  });

  it('an error is one FILE:LINE: ERROR: line, exit 1', async () => {
    const run = await runExample('checkpatch');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hw\/demo\/listener\.c:48: ERROR: demo_listener_region_add\(\) now returns .* \[skip-asymmetry\]$/);
  });

  it('warning → WARNING:, info → CHECK:, one line each, ERROR: never inside a non-error line', () => {
    const out = checkpatchReporter.format(
      lintResult([
        finding({ severity: 'warning', line: 10, message: 'two\nlines, one ERROR: word' }),
        finding({ severity: 'info', line: 20, message: 'a check' }),
      ]),
      opts,
    );
    expect(out).toBe(
      'hw/vfio/listener.c:10: WARNING: two lines, one ERROR - word [skip-asymmetry]\n' +
        'hw/vfio/listener.c:20: CHECK: a check [skip-asymmetry]\n',
    );
    // b4 counts a line as a failure when it contains ERROR:, anything else as a warning.
    for (const line of out.trimEnd().split('\n')) expect(line).not.toContain('ERROR:');
    expect(checkpatchLine(finding({ message: 'x' }))).toBe('hw/vfio/listener.c:617: ERROR: x [skip-asymmetry]');
  });

  it.skipIf(!SEED_PRESENT)('the seed symmetric series is clean: no output', async () => {
    const run = await runSeed('skip-map-symmetric.mbox', 'checkpatch');
    const pairLines = run.stdout.split('\n').filter((l) => /\[(skip|check|call)-asymmetry\]$/.test(l));
    expect(pairLines).toEqual([]);
    expect(run.code).toBe(0);
  });
});
