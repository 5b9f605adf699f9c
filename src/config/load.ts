/**
 * Config is JSON data only (never code): the GitHub Action runs on pull
 * requests from strangers. Every error names the file and the key.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { PairTable, builtinPairData, mergePairData, type PairTableData, type PrimitivePair, type SlotPair } from '../pairs/table.js';
import { DEFAULT_PRESET, PRESETS } from './presets.js';
import { didYouMean } from './suggest.js';
import { SEVERITY_SETTINGS, type ConfigFile, type IgnoreEntry, type RuleOptionSpec, type SeveritySetting } from './types.js';

/** The options each rule accepts, by rule id (rules without options may be absent). */
export type RuleOptionSpecs = ReadonlyMap<string, Readonly<Record<string, RuleOptionSpec>>>;

export const CONFIG_FILE_NAME = '.pairlint.json';

export interface ResolvedConfig {
  /** file the config came from, null for defaults */
  source: string | null;
  preset: string;
  /** per-rule severity set by preset or config; rules not named use their default */
  severities: Map<string, SeveritySetting>;
  options: Map<string, Record<string, unknown>>;
  pairs: PairTable;
  ignore: IgnoreEntry[];
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

class Validator {
  constructor(private readonly file: string) {}

  fail(key: string, message: string): never {
    throw new ConfigError(`${this.file}: "${key}" ${message}`);
  }

  object(v: Json, key: string): Record<string, Json> {
    if (!isObject(v)) this.fail(key, `must be an object, got ${typeName(v)}`);
    return v;
  }

  array(v: Json, key: string): Json[] {
    if (!Array.isArray(v)) this.fail(key, `must be an array, got ${typeName(v)}`);
    return v;
  }

  string(v: Json, key: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(key, `must be a non-empty string, got ${v === '' ? 'an empty string' : typeName(v)}`);
    return v;
  }

  strings(v: Json, key: string): string[] {
    return this.array(v, key).map((item, i) => this.string(item, `${key}[${i}]`));
  }

  onlyKeys(obj: Record<string, Json>, key: string, allowed: string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        const where = key ? `${key}.${k}` : k;
        this.fail(where, `is not a known key (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  severity(v: Json, key: string): SeveritySetting {
    if (typeof v !== 'string' || !SEVERITY_SETTINGS.includes(v as SeveritySetting)) {
      this.fail(key, `must be one of ${SEVERITY_SETTINGS.join(', ')}, got ${JSON.stringify(v)}`);
    }
    return v as SeveritySetting;
  }
}

function validatePairs(v: Validator, raw: Json): Partial<PairTableData> {
  const obj = v.object(raw, 'pairs');
  v.onlyKeys(obj, 'pairs', [
    'slots',
    'primitives',
    'families',
    'functions',
    'sharedPredicates',
    'listMacros',
    'ramDevice',
    'nonResources',
    'testRegistrations',
    'inheritedState',
    'safeReleases',
    'afterFailure',
    'failedAcquireSlots',
    'vetoes',
    'heapAllocations',
    'ownership',
    'errorValues',
    'noReturn',
  ]);
  const out: Partial<PairTableData> = {};
  if (obj.slots !== undefined) {
    out.slots = v.array(obj.slots, 'pairs.slots').map((s, i) => {
      const key = `pairs.slots[${i}]`;
      const o = v.object(s, key);
      v.onlyKeys(o, key, ['type', 'acquire', 'release', 'replay']);
      const type = o.type === undefined || o.type === null ? null : v.string(o.type, `${key}.type`);
      if (o.replay !== undefined && typeof o.replay !== 'boolean') v.fail(`${key}.replay`, `must be a boolean, got ${typeName(o.replay)}`);
      const slot: SlotPair = { type, acquire: v.string(o.acquire, `${key}.acquire`), release: v.string(o.release, `${key}.release`) };
      if (o.replay === true) slot.replay = true;
      return slot;
    });
  }
  if (obj.primitives !== undefined) {
    out.primitives = v.array(obj.primitives, 'pairs.primitives').map((p, i) => {
      const key = `pairs.primitives[${i}]`;
      const o = v.object(p, key);
      v.onlyKeys(o, key, ['acquire', 'release', 'what', 'onlyWithList', 'ifAcquireSkipped', 'ifReleaseSkipped', 'scope', 'safeRelease']);
      const acquire = v.strings(o.acquire, `${key}.acquire`);
      const release = v.strings(o.release, `${key}.release`);
      if (acquire.length === 0) v.fail(`${key}.acquire`, 'must name at least one function');
      if (release.length === 0) v.fail(`${key}.release`, 'must name at least one function');
      const what = o.what === undefined ? `resource taken by ${acquire[0]}()` : v.string(o.what, `${key}.what`);
      if (o.onlyWithList !== undefined && typeof o.onlyWithList !== 'boolean') {
        v.fail(`${key}.onlyWithList`, `must be a boolean, got ${typeName(o.onlyWithList)}`);
      }
      const pair: PrimitivePair = { acquire, release, what, onlyWithList: o.onlyWithList === true };
      if (o.ifAcquireSkipped !== undefined) pair.ifAcquireSkipped = v.string(o.ifAcquireSkipped, `${key}.ifAcquireSkipped`);
      if (o.ifReleaseSkipped !== undefined) pair.ifReleaseSkipped = v.string(o.ifReleaseSkipped, `${key}.ifReleaseSkipped`);
      if (o.safeRelease !== undefined) {
        if (typeof o.safeRelease !== 'boolean') v.fail(`${key}.safeRelease`, `must be a boolean, got ${typeName(o.safeRelease)}`);
        if (o.safeRelease) pair.safeRelease = true;
      }
      if (o.scope !== undefined) {
        if (o.scope !== 'error-path') v.fail(`${key}.scope`, `must be "error-path", got ${JSON.stringify(o.scope)}`);
        pair.scope = 'error-path';
      }
      return pair;
    });
  }
  if (obj.families !== undefined) {
    out.families = v.array(obj.families, 'pairs.families').map((f, i) => {
      const key = `pairs.families[${i}]`;
      const o = v.object(f, key);
      v.onlyKeys(o, key, ['acquire', 'release']);
      return { acquire: v.string(o.acquire, `${key}.acquire`), release: v.strings(o.release, `${key}.release`) };
    });
  }
  if (obj.functions !== undefined) {
    out.functions = v.array(obj.functions, 'pairs.functions').map((f, i) => {
      const key = `pairs.functions[${i}]`;
      const o = v.object(f, key);
      v.onlyKeys(o, key, ['acquire', 'release']);
      return { acquire: v.string(o.acquire, `${key}.acquire`), release: v.string(o.release, `${key}.release`) };
    });
  }
  if (obj.sharedPredicates !== undefined) out.sharedPredicates = v.strings(obj.sharedPredicates, 'pairs.sharedPredicates');
  if (obj.nonResources !== undefined) out.nonResources = v.strings(obj.nonResources, 'pairs.nonResources');
  if (obj.testRegistrations !== undefined) out.testRegistrations = v.strings(obj.testRegistrations, 'pairs.testRegistrations');
  if (obj.inheritedState !== undefined) out.inheritedState = v.strings(obj.inheritedState, 'pairs.inheritedState');
  if (obj.safeReleases !== undefined) out.safeReleases = v.strings(obj.safeReleases, 'pairs.safeReleases');
  if (obj.afterFailure !== undefined) out.afterFailure = v.strings(obj.afterFailure, 'pairs.afterFailure');
  if (obj.failedAcquireSlots !== undefined) out.failedAcquireSlots = v.strings(obj.failedAcquireSlots, 'pairs.failedAcquireSlots');
  if (obj.noReturn !== undefined) out.noReturn = v.strings(obj.noReturn, 'pairs.noReturn');
  if (obj.vetoes !== undefined) out.vetoes = v.strings(obj.vetoes, 'pairs.vetoes');
  if (obj.heapAllocations !== undefined) out.heapAllocations = v.strings(obj.heapAllocations, 'pairs.heapAllocations');
  if (obj.ownership !== undefined) {
    const o = v.object(obj.ownership, 'pairs.ownership');
    v.onlyKeys(o, 'pairs.ownership', ['adds', 'creates', 'roots']);
    out.ownership = {
      adds: o.adds === undefined ? [] : v.strings(o.adds, 'pairs.ownership.adds'),
      creates: o.creates === undefined ? [] : v.strings(o.creates, 'pairs.ownership.creates'),
      roots: o.roots === undefined ? [] : v.strings(o.roots, 'pairs.ownership.roots'),
    };
  }
  if (obj.errorValues !== undefined) {
    const o = v.object(obj.errorValues, 'pairs.errorValues');
    v.onlyKeys(o, 'pairs.errorValues', ['makers', 'readers']);
    out.errorValues = {
      makers: o.makers === undefined ? [] : v.strings(o.makers, 'pairs.errorValues.makers'),
      readers: o.readers === undefined ? [] : v.strings(o.readers, 'pairs.errorValues.readers'),
    };
  }
  if (obj.listMacros !== undefined) {
    const o = v.object(obj.listMacros, 'pairs.listMacros');
    v.onlyKeys(o, 'pairs.listMacros', ['insert', 'remove']);
    out.listMacros = {
      insert: o.insert === undefined ? [] : v.strings(o.insert, 'pairs.listMacros.insert'),
      remove: o.remove === undefined ? [] : v.strings(o.remove, 'pairs.listMacros.remove'),
    };
  }
  if (obj.ramDevice !== undefined) {
    const o = v.object(obj.ramDevice, 'pairs.ramDevice');
    v.onlyKeys(o, 'pairs.ramDevice', ['mapPrimitives', 'broadTests', 'exactFlags']);
    const regexps = (value: Json, key: string) =>
      v.strings(value, key).map((re, i) => {
        try {
          new RegExp(re);
        } catch {
          v.fail(`${key}[${i}]`, `is not a valid regular expression: ${JSON.stringify(re)}`);
        }
        return re;
      });
    out.ramDevice = {
      mapPrimitives: o.mapPrimitives === undefined ? [] : v.strings(o.mapPrimitives, 'pairs.ramDevice.mapPrimitives'),
      broadTests: o.broadTests === undefined ? [] : regexps(o.broadTests, 'pairs.ramDevice.broadTests'),
      exactFlags: o.exactFlags === undefined ? [] : regexps(o.exactFlags, 'pairs.ramDevice.exactFlags'),
    };
  }
  return out;
}

/** Check `rules.<id>.options` against the rule's option specs: known keys, right types, regexes that compile. */
function validateRuleOptions(v: Validator, raw: Json, key: string, specs: Readonly<Record<string, RuleOptionSpec>> | undefined): Record<string, unknown> {
  const obj = v.object(raw, key);
  if (specs === undefined) return obj;
  const names = Object.keys(specs);
  for (const [name, value] of Object.entries(obj)) {
    const spec = specs[name];
    const where = `${key}.${name}`;
    if (!spec) v.fail(where, names.length > 0 ? `is not a known option (expected one of: ${names.join(', ')})` : 'is not a known option (this rule takes none)');
    switch (spec.type) {
      case 'boolean':
        if (typeof value !== 'boolean') v.fail(where, `must be a boolean, got ${typeName(value)}`);
        break;
      case 'string':
        v.string(value, where);
        break;
      case 'strings':
        v.strings(value, where);
        break;
      case 'severity':
        v.severity(value, where);
        break;
      case 'regex': {
        const re = v.string(value, where);
        try {
          new RegExp(re);
        } catch {
          v.fail(where, `is not a valid regular expression: ${JSON.stringify(re)}`);
        }
        break;
      }
    }
  }
  return obj;
}

/**
 * Validate parsed JSON into a ConfigFile; `knownRules` guards against typos in
 * rule ids, `optionSpecs` (when given) against unknown or mistyped rule options.
 */
export function validateConfig(raw: Json, file: string, knownRules: ReadonlySet<string>, optionSpecs?: RuleOptionSpecs): ConfigFile {
  const v = new Validator(file);
  const obj = v.object(raw, '(root)');
  v.onlyKeys(obj, '', ['$schema', 'extends', 'rules', 'pairs', 'ignore']);
  const out: ConfigFile = {};
  if (obj.extends !== undefined) {
    const preset = v.string(obj.extends, 'extends');
    if (!(preset in PRESETS)) v.fail('extends', `must be one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset)}`);
    out.extends = preset;
  }
  if (obj.rules !== undefined) {
    const rules = v.object(obj.rules, 'rules');
    out.rules = {};
    for (const [id, setting] of Object.entries(rules)) {
      const key = `rules.${id}`;
      if (!knownRules.has(id)) v.fail(key, `is not a known rule${didYouMean(id, knownRules)} (see \`pairlint rules\`)`);
      if (isObject(setting)) {
        v.onlyKeys(setting, key, ['severity', 'options']);
        const entry: { severity?: SeveritySetting; options?: Record<string, unknown> } = {};
        if (setting.severity !== undefined) entry.severity = v.severity(setting.severity, `${key}.severity`);
        if (setting.options !== undefined) entry.options = validateRuleOptions(v, setting.options, `${key}.options`, optionSpecs?.get(id));
        out.rules[id] = entry;
      } else {
        out.rules[id] = v.severity(setting, key);
      }
    }
  }
  if (obj.pairs !== undefined) out.pairs = validatePairs(v, obj.pairs);
  if (obj.ignore !== undefined) {
    out.ignore = v.array(obj.ignore, 'ignore').map((e, i) => {
      const key = `ignore[${i}]`;
      const o = v.object(e, key);
      v.onlyKeys(o, key, ['rule', 'path', 'function']);
      const rule = v.string(o.rule, `${key}.rule`);
      if (rule !== '*' && !knownRules.has(rule)) v.fail(`${key}.rule`, `is not a known rule${didYouMean(rule, knownRules)} (see \`pairlint rules\`)`);
      const entry: IgnoreEntry = { rule };
      if (o.path !== undefined) entry.path = v.string(o.path, `${key}.path`);
      if (o.function !== undefined) entry.function = v.string(o.function, `${key}.function`);
      return entry;
    });
  }
  return out;
}

export function resolveConfig(file: ConfigFile, source: string | null): ResolvedConfig {
  const preset = file.extends ?? DEFAULT_PRESET;
  const severities = new Map<string, SeveritySetting>();
  const options = new Map<string, Record<string, unknown>>();
  // the preset first, then the config's own settings (options merge key by key)
  for (const [id, setting] of [...Object.entries(PRESETS[preset] ?? {}), ...Object.entries(file.rules ?? {})]) {
    if (typeof setting === 'string') severities.set(id, setting);
    else {
      if (setting.severity) severities.set(id, setting.severity);
      if (setting.options) options.set(id, { ...options.get(id), ...setting.options });
    }
  }
  const pairs = new PairTable(mergePairData(builtinPairData(), file.pairs ?? {}));
  return { source, preset, severities, options, pairs, ignore: file.ignore ?? [] };
}

/**
 * Load `--config FILE`, else `.pairlint.json` in `root` (the repository top
 * level or the current directory), else defaults.
 */
export function loadConfig(
  explicit: string | null,
  root: string | null,
  knownRules: ReadonlySet<string>,
  optionSpecs?: RuleOptionSpecs,
): ResolvedConfig {
  let path: string | null = explicit;
  if (!path && root) {
    const candidate = join(root, CONFIG_FILE_NAME);
    if (existsSync(candidate)) path = candidate;
  }
  if (!path) return resolveConfig({}, null);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read config (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return resolveConfig(validateConfig(raw, path, knownRules, optionSpecs), path);
}
