/**
 * Each rule's docs examples (`pairlint explain RULE`) run as cases: the
 * `bad` example is an excerpt of test/fixtures/rule-cases/<rule>/docs-bad/,
 * which must fire the rule, and `good` one of docs-good/, which must not.
 * An excerpt: every line of the example is a line of the case ('+' lines
 * among the lines the change adds, '-' lines among those it removes), `...`
 * standing for code the example leaves out, whitespace aside.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { caseInput, runRuleCase } from '../support/rule-tester.js';
import { filesUnder } from '../support/unified-diff.js';

const CASES = fileURLToPath(new URL('../fixtures/rule-cases/', import.meta.url));

const squeeze = (line: string) => line.replace(/\s+/g, ' ').trim();

/** The lines of a case an example may quote: added, removed, and all the others. */
function caseLines(dir: string): { added: string[]; removed: string[]; any: string[] } {
  const input = caseInput(dir);
  const patch = input?.patch.split('\n') ?? [];
  const added = patch.filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => squeeze(l.slice(1)));
  const removed = patch.filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => squeeze(l.slice(1)));
  const texts: string[] = [];
  for (const side of ['pre', 'post', 'tree']) {
    const root = join(dir, side);
    for (const path of filesUnder(root)) texts.push(readFileSync(join(root, path), 'utf8'));
  }
  if (existsSync(join(dir, 'message'))) texts.push(readFileSync(join(dir, 'message'), 'utf8'));
  const any = [...texts.flatMap((t) => t.split('\n')), ...patch.map((l) => l.slice(1))].map(squeeze);
  return { added, removed, any };
}

/** The example's lines that are not found in the case (empty: it is an excerpt). */
function missingLines(example: string, dir: string): string[] {
  const lines = caseLines(dir);
  const missing: string[] = [];
  for (const raw of example.split('\n')) {
    const marker = raw.startsWith('+') ? '+' : raw.startsWith('-') ? '-' : ' ';
    const text = squeeze(marker === ' ' ? raw : raw.slice(1));
    if (text === '' || text === '...') continue;
    const pattern = new RegExp(text.split('...').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
    const pool = marker === '+' ? lines.added : marker === '-' ? lines.removed : lines.any;
    if (!pool.some((l) => pattern.test(l))) missing.push(raw);
  }
  return missing;
}

describe.each(RULES.map((r) => [r.meta.id, r] as const))('%s docs examples', (id, rule) => {
  const bad = join(CASES, id, 'docs-bad');
  const good = join(CASES, id, 'docs-good');

  it('bad is an excerpt of the docs-bad case, which fires the rule', async () => {
    expect(missingLines(rule.meta.docs.bad, bad)).toEqual([]);
    expect((await runRuleCase(bad, id)).findings.length).toBeGreaterThan(0);
  });

  it('good is an excerpt of the docs-good case, where the rule is silent', async () => {
    expect(missingLines(rule.meta.docs.good, good)).toEqual([]);
    expect((await runRuleCase(good, id)).findings).toEqual([]);
  });
});
