/**
 * The patch writer and the move of fixes onto the final image, on texts of
 * our own; every patch is checked with a real `git apply`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, git, tempDir } from '../git/helpers.js';
import { applyEdits, fixPatch } from '../../src/fix/patch.js';
import { settleFixes } from '../../src/fix/stage.js';
import type { Finding } from '../../src/rule/finding.js';
import type { Fix, FixEdit } from '../../src/rule/fix.js';

afterAll(cleanupTempDirs);

const lines = (n: number) => Array.from({ length: n }, (_, i) => `    line_${i + 1}();`).join('\n') + '\n';

function finding(edits: FixEdit[], fingerprint = 'f'): Finding {
  const fix: Fix = { kind: 'add-release', description: 'test', edits };
  return { ruleId: 'call-asymmetry', category: 'pair', severity: 'warning', message: 'm', file: 'a.c', line: 1, function: 'f', commit: null, related: [], fingerprint, fix };
}

const insertAt = (text: string, line: number, add: string): FixEdit => {
  const old = text.split('\n')[line - 1] + '\n';
  return { file: 'a.c', line, endLine: line, old, text: add + old, inHunk: false };
};

/** git apply the patch to a.c = text in a fresh repository; returns the result. */
function gitApply(text: string, patch: string): string {
  const dir = tempDir();
  git(dir, ['init', '-q']);
  writeFileSync(join(dir, 'a.c'), text);
  writeFileSync(join(dir, 'fix.patch'), patch);
  git(dir, ['apply', '--check', 'fix.patch']);
  git(dir, ['apply', 'fix.patch']);
  return readFileSync(join(dir, 'a.c'), 'utf8');
}

describe('fixPatch', () => {
  it('edits close together share a hunk, far apart get their own; git apply gives what applyEdits gives', () => {
    const text = lines(40);
    const edits = [insertAt(text, 5, '    near_a();\n'), insertAt(text, 9, '    near_b();\n'), insertAt(text, 35, '    far();\n')];
    const patch = fixPatch([finding([edits[0]!]), finding([edits[1]!]), finding([edits[2]!])], new Map([['a.c', text]]));
    expect(patch.match(/^@@ /gm)).toHaveLength(2);
    expect(patch).toContain('@@ -2,11 +2,13 @@');
    expect(patch).toContain('@@ -32,7 +34,8 @@');
    const applied = gitApply(text, patch);
    expect(applied).toBe(applyEdits(text, edits));
    expect(applied).toContain('    line_4();\n    near_a();\n    line_5();\n');
  });

  it('a fix that overlaps an earlier one is left out; edits at the first and last line apply', () => {
    const text = lines(6);
    const first = insertAt(text, 1, '    first();\n');
    const again = insertAt(text, 1, '    again();\n');
    const last = { ...insertAt(text, 6, ''), text: '    line_6();\n    last();\n' };
    const patch = fixPatch([finding([first]), finding([again]), finding([last])], new Map([['a.c', text]]));
    const applied = gitApply(text, patch);
    expect(applied).not.toContain('again');
    expect(applied.startsWith('    first();\n    line_1();\n')).toBe(true);
    expect(applied.endsWith('    line_6();\n    last();\n')).toBe(true);
  });
});

describe('settleFixes', () => {
  it('moves a fix onto the final image when later commits moved its lines, and drops it when its anchor is gone', () => {
    const atCommit = lines(20);
    const moved = finding([insertAt(atCommit, 10, '    fixed();\n')], 'moved');
    const gone = finding([insertAt(atCommit, 15, '    fixed();\n')], 'gone');
    const repaired = finding([insertAt(atCommit, 3, '    fixed();\n')], 'repaired');
    // two lines added above, line_15 rewritten
    const final = '    new_a();\n    new_b();\n' + atCommit.replace('    line_15();\n', '    changed();\n');
    const base = settleFixes([moved, gone, repaired], new Map([['a.c', final]]), (f) => f.fingerprint !== 'repaired');
    expect(moved.fix?.edits[0]).toMatchObject({ line: 12, endLine: 12, inHunk: false });
    expect(gone.fix).toBeUndefined();
    expect(repaired.fix).toBeUndefined();
    expect(gitApply(final, fixPatch([moved], base))).toContain('    line_9();\n    fixed();\n    line_10();\n');
  });
});
