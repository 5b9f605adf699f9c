import type { PairTableData } from '../pairs/table.js';

export type SeveritySetting = 'off' | 'info' | 'warning' | 'error';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];

export interface IgnoreEntry {
  /** rule id, or "*" */
  rule: string;
  /** glob over the file path (`*` within a segment, `**` across) */
  path?: string;
  /** function name (glob) */
  function?: string;
}

/**
 * The type of a rule option (`rules.<id>.options.<key>`); `regex` is a
 * string that must compile; `severity` one of off, info, warning, error.
 */
export type RuleOptionType = 'string' | 'boolean' | 'regex' | 'strings' | 'severity';

/** One option a rule accepts: validated by the config loader, defaulted by the engine. */
export interface RuleOptionSpec {
  type: RuleOptionType;
  default: string | boolean | string[];
  description: string;
}

/** What a preset sets for a rule: a severity, or a severity and option values. */
export type PresetSetting = SeveritySetting | { severity?: SeveritySetting; options?: Record<string, unknown> };

/** The JSON a user writes in .pairlint.json. */
export interface ConfigFile {
  extends?: string;
  rules?: Record<string, SeveritySetting | { severity?: SeveritySetting; options?: Record<string, unknown> }>;
  pairs?: Partial<PairTableData>;
  ignore?: IgnoreEntry[];
}
