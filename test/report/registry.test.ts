/** The reporter registry and the --format option built from it. */
import { describe, expect, it } from 'vitest';
import { REPORTERS } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';
import { runExample } from './helpers.js';

const FORMATS = ['text', 'json', 'sarif', 'rdjson', 'github', 'markdown', 'checkpatch'];

describe('reporter registry', () => {
  it('registers every format under its own name', () => {
    expect(Object.keys(REPORTERS)).toEqual(FORMATS);
    for (const [key, r] of Object.entries(REPORTERS)) {
      expect(r.name).toBe(key);
      expect(r.description.length).toBeGreaterThan(0);
    }
  });

  it('--help lists the choices and an unknown format is a usage error', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    // commander wraps the help text: compare with whitespace folded.
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`choices: ${FORMATS.map((f) => `"${f}"`).join(', ')}`);
    const bad = await runCli(['--format', 'xml', 'x.patch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/xml/);
  });

  it('every format runs on the example and exits 1 (the error finding), text and json included', async () => {
    for (const format of FORMATS) {
      const run = await runExample(format);
      expect(run.code, format).toBe(1);
      expect(run.stderr, format).toBe('');
      expect(run.stdout.length, format).toBeGreaterThan(0);
    }
    expect((await runExample('text')).stdout).toMatch(/^hw\/demo\/listener\.c:48: error: .*\[skip-asymmetry\]$/m);
    expect(JSON.parse((await runExample('json')).stdout).version).toBe(1);
  });
});
