import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { ruleOptions, effectiveSeverity } from '../../src/engine/run-rules.js';
import { RULES, RULE_IDS, RULE_OPTION_SPECS, findRule } from '../../rules/index.js';
import type { Rule } from '../../src/rule/rule.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function load(config: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-presets-'));
  dirs.push(dir);
  writeFileSync(join(dir, '.pairlint.json'), JSON.stringify(config));
  return loadConfig(null, dir, RULE_IDS, RULE_OPTION_SPECS);
}

function errorOf(config: unknown): string {
  try {
    load(config);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const rule = (id: string) => findRule(id) as Rule;

describe('presets and rule options', () => {
  it('preset qemu (the default): cherry-pick-source off, the sign-off must be the author\'s', () => {
    const config = loadConfig(null, null, RULE_IDS, RULE_OPTION_SPECS);
    expect(config.preset).toBe('qemu');
    expect(effectiveSeverity(rule('cherry-pick-source'), config)).toBe('off');
    expect(ruleOptions(rule('signed-off-by'), config)).toEqual({ authorMatch: true });
    expect(effectiveSeverity(rule('signed-off-by'), config)).toBe('error');
    expect(effectiveSeverity(rule('fixes-tag'), config)).toBe('warning');
    expect(ruleOptions(rule('cherry-pick-source'), config).branchPattern).toBe('[A-Za-z0-9_][A-Za-z0-9_.+/-]*');
  });

  it('preset downstream: cherry-pick-source on, any sign-off', () => {
    const config = load({ extends: 'downstream' });
    expect(effectiveSeverity(rule('cherry-pick-source'), config)).toBe('warning');
    expect(ruleOptions(rule('signed-off-by'), config)).toEqual({ authorMatch: false });
  });

  it("the config's own settings win over the preset's, option by option", () => {
    const config = load({
      extends: 'downstream',
      rules: { 'cherry-pick-source': { severity: 'error', options: { branchPattern: 'stable-.*' } }, 'signed-off-by': 'warning' },
    });
    expect(effectiveSeverity(rule('cherry-pick-source'), config)).toBe('error');
    expect(ruleOptions(rule('cherry-pick-source'), config)).toEqual({ branchPattern: 'stable-.*' });
    expect(effectiveSeverity(rule('signed-off-by'), config)).toBe('warning');
    expect(ruleOptions(rule('signed-off-by'), config)).toEqual({ authorMatch: false });
  });

  it('every rule severity can be set, the suppression checks included', () => {
    for (const r of RULES) {
      for (const setting of ['off', 'info', 'warning', 'error'] as const) {
        expect(effectiveSeverity(r, load({ rules: { [r.meta.id]: setting } }))).toBe(setting);
      }
    }
  });

  it('rejects unknown and mistyped options, naming the key', () => {
    expect(errorOf({ rules: { 'cherry-pick-source': { options: { branch: 'x' } } } })).toMatch(
      /"rules\.cherry-pick-source\.options\.branch" is not a known option \(expected one of: branchPattern\)/,
    );
    expect(errorOf({ rules: { 'signed-off-by': { options: { authorMatch: 'yes' } } } })).toMatch(
      /"rules\.signed-off-by\.options\.authorMatch" must be a boolean, got a string/,
    );
    expect(errorOf({ rules: { 'cherry-pick-source': { options: { branchPattern: '(' } } } })).toMatch(
      /"rules\.cherry-pick-source\.options\.branchPattern" is not a valid regular expression/,
    );
    expect(errorOf({ rules: { 'skip-justified': { options: { skipRules: 'skip-asymmetry' } } } })).toMatch(
      /"rules\.skip-justified\.options\.skipRules" must be an array/,
    );
    expect(errorOf({ rules: { 'revert-reason': { options: { x: 1 } } } })).toMatch(/"rules\.revert-reason\.options\.x" is not a known option \(this rule takes none\)/);
  });
});
