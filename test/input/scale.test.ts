/** Big and hostile inputs must stay linear (no quadratic joins, no backtracking regexes). */
import { describe, expect, it } from 'vitest';
import { parseDiffText } from '../../src/input/diff.js';
import { parsePatchInput } from '../../src/input/patch-input.js';
import { fixture } from './helpers.js';

describe('scale', () => {
  it('parses a 20 MB mbox quickly', () => {
    const one = fixture('series-v2.mbox');
    const copies = Math.ceil((20 * 1024 * 1024) / one.length);
    const big = one.repeat(copies);
    const t0 = performance.now();
    const s = parsePatchInput(big, 'big.mbox');
    const ms = performance.now() - t0;
    expect(s.commits).toHaveLength(2 * copies);
    expect(ms).toBeLessThan(20000);
  }, 60000);

  it('parses one file diff with 100k hunks and hostile long lines quickly', () => {
    const parts: string[] = ['diff --git a/hw/big.c b/hw/big.c', '--- a/hw/big.c', '+++ b/hw/big.c'];
    for (let k = 0; k < 100000; k++) parts.push(`@@ -${k * 10 + 1},2 +${k * 10 + 1},2 @@ f${k}`, ' ctx', '-old', '+new');
    const long = ' '.repeat(2_000_000);
    const t0 = performance.now();
    const files = parseDiffText(`${parts.join('\n')}\n`, { source: 'big.diff' });
    expect(files[0]!.hunks).toHaveLength(100000);
    // long white space runs in headers, subjects and From lines
    const mail = `From ${long}x Mon Sep 17 00:00:00 2001\nFrom: A <a@x>\nSubject: [PATCH]${long}x\n\nBody${long}\n---\n${parts.slice(0, 7).join('\n')}\n`;
    expect(() => parsePatchInput(mail, 'hostile')).not.toThrow();
    const traditional = `--- a/x.c${long}\n+++ b/x.c${long}\n@@ -1 +1 @@\n-a\n+b\n`;
    expect(parseDiffText(traditional, { source: 't' })).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(20000);
  }, 60000);
});
