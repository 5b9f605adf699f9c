/**
 * Every fixture case under test/fixtures/rule-cases/<rule>/<case>/ run through
 * the RuleTester (test/support/rule-tester.ts) and compared with its snapshot.
 * PAIRLINT_UPDATE_SNAPSHOTS=1 rewrites the snapshots: review each before committing.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../rules/index.js';
import { PAIR_RULES, checkRuleCase } from '../support/rule-tester.js';

const CASES = fileURLToPath(new URL('../fixtures/rule-cases/', import.meta.url));

const dirsUnder = (dir: string) => readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();

describe.each(dirsUnder(CASES))('%s', (ruleId) => {
  it('is a rule pairlint knows', () => {
    expect(RULE_IDS.has(ruleId) || ruleId === PAIR_RULES).toBe(true);
  });
  it.each(dirsUnder(join(CASES, ruleId)))('%s', async (name) => {
    const { actual, expected } = await checkRuleCase(join(CASES, ruleId, name), ruleId);
    expect(actual).toBe(expected);
  });
});
