import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const RULES = new Set(['skip-asymmetry', 'check-asymmetry', 'call-asymmetry', 'cherry-pick-source']);
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pairlint-config-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writeConfig(content: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, '.pairlint.json'), content);
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses defaults when there is no config file', () => {
    const config = loadConfig(null, tempDir(), RULES);
    expect(config.source).toBeNull();
    expect(config.preset).toBe('qemu');
    expect(config.pairs.primitive('vfio_container_dma_map')?.role).toBe('acquire');
  });

  it('finds .pairlint.json at the root and applies severities, presets and extra pairs', () => {
    const dir = writeConfig(
      JSON.stringify({
        extends: 'downstream',
        rules: { 'check-asymmetry': 'off', 'skip-asymmetry': { severity: 'warning' } },
        pairs: { primitives: [{ acquire: ['my_pin'], release: ['my_unpin'], what: 'pin' }] },
        ignore: [{ rule: 'call-asymmetry', path: 'hw/**/*.c' }],
      }),
    );
    const config = loadConfig(null, dir, RULES);
    expect(config.source).toBe(join(dir, '.pairlint.json'));
    expect(config.preset).toBe('downstream');
    expect(config.severities.get('cherry-pick-source')).toBe('warning');
    expect(config.severities.get('check-asymmetry')).toBe('off');
    expect(config.severities.get('skip-asymmetry')).toBe('warning');
    expect(config.pairs.primitive('my_unpin')).toMatchObject({ role: 'release', counterparts: ['my_pin'] });
    expect(config.ignore).toEqual([{ rule: 'call-asymmetry', path: 'hw/**/*.c' }]);
  });

  it('rejects invalid JSON with the file name', () => {
    const dir = writeConfig('{ "rules": ');
    expect(errorOf(() => loadConfig(null, dir, RULES))).toMatch(/\.pairlint\.json: not valid JSON/);
  });

  it('names the key of a wrong type', () => {
    const dir = writeConfig(JSON.stringify({ pairs: { primitives: [{ acquire: 'x_map', release: ['x_unmap'] }] } }));
    expect(errorOf(() => loadConfig(null, dir, RULES))).toMatch(/"pairs\.primitives\[0\]\.acquire" must be an array, got a string/);
  });

  it('names an unknown rule, severity, preset and key', () => {
    expect(errorOf(() => loadConfig(null, writeConfig('{"rules":{"no-such-rule":"error"}}'), RULES))).toMatch(/"rules\.no-such-rule" is not a known rule/);
    expect(errorOf(() => loadConfig(null, writeConfig('{"rules":{"skip-asymmetry":"fatal"}}'), RULES))).toMatch(/"rules\.skip-asymmetry" must be one of off, info, warning, error/);
    expect(errorOf(() => loadConfig(null, writeConfig('{"extends":"linux"}'), RULES))).toMatch(/"extends" must be one of qemu, downstream/);
    expect(errorOf(() => loadConfig(null, writeConfig('{"rulez":{}}'), RULES))).toMatch(/"rulez" is not a known key/);
  });

  it('reads an explicit --config path and reports a missing one', () => {
    const dir = tempDir();
    const path = join(dir, 'custom.json');
    writeFileSync(path, '{"rules":{"call-asymmetry":"error"}}');
    expect(loadConfig(path, null, RULES).severities.get('call-asymmetry')).toBe('error');
    expect(errorOf(() => loadConfig(join(dir, 'missing.json'), null, RULES))).toMatch(/missing\.json: cannot read config \(ENOENT\)/);
  });
});
