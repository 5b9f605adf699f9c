/**
 * The RuleTester itself: the patch it computes for pre/ + post/ turns pre into
 * post exactly, and a case with no snapshot fails unless snapshots are being
 * written (so a forgotten expected.json is no silent pass).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePatchInput } from '../../src/input/patch-input.js';
import { applyFileDiff } from '../../src/images/apply.js';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { UPDATE_SNAPSHOTS, checkRuleCase } from '../support/rule-tester.js';
import { diffDirs, filesUnder } from '../support/unified-diff.js';

afterAll(cleanupTempDirs);

const CASES = fileURLToPath(new URL('../fixtures/rule-cases/', import.meta.url));

/** Every case folder that gives pre/ and post/. */
function prePostCases(): string[] {
  const out: string[] = [];
  for (const rule of readdirSync(CASES)) {
    for (const name of readdirSync(join(CASES, rule))) {
      const dir = join(CASES, rule, name);
      if (existsSync(join(dir, 'pre')) && existsSync(join(dir, 'post'))) out.push(dir);
    }
  }
  return out.sort();
}

describe('RuleTester', () => {
  it.each(prePostCases().map((d) => [d.slice(CASES.length), d]))('the patch of %s turns pre/ into post/', (_name, dir) => {
    const patch = diffDirs(join(dir, 'pre'), join(dir, 'post'));
    const [commit] = parsePatchInput(patch, 'computed.patch').commits;
    const files = commit?.files ?? [];
    expect(files.map((f) => f.newPath ?? f.oldPath).sort()).toEqual(
      [...new Set([...filesUnder(join(dir, 'pre')), ...filesUnder(join(dir, 'post'))])]
        .filter((p) => !existsSync(join(dir, 'pre', p)) || !existsSync(join(dir, 'post', p)) || readFileSync(join(dir, 'pre', p), 'utf8') !== readFileSync(join(dir, 'post', p), 'utf8'))
        .sort(),
    );
    for (const file of files) {
      const path = (file.newPath ?? file.oldPath) as string;
      const pre = existsSync(join(dir, 'pre', path)) ? readFileSync(join(dir, 'pre', path), 'utf8') : null;
      const post = existsSync(join(dir, 'post', path)) ? readFileSync(join(dir, 'post', path), 'utf8') : null;
      expect(applyFileDiff(pre, file, 'pre/')?.text ?? null).toBe(post);
    }
  });

  it.skipIf(UPDATE_SNAPSHOTS)('fails a case that has no snapshot', async () => {
    const dir = tempDir('pairlint-case-');
    mkdirSync(join(dir, 'pre', 'hw'), { recursive: true });
    mkdirSync(join(dir, 'post', 'hw'), { recursive: true });
    writeFileSync(join(dir, 'pre', 'hw', 'a.c'), 'static int a(void)\n{\n    return 0;\n}\n');
    writeFileSync(join(dir, 'post', 'hw', 'a.c'), 'static int a(void)\n{\n    return 1;\n}\n');
    await expect(checkRuleCase(dir, 'call-asymmetry')).rejects.toThrow(/no snapshot/);
  });
});
