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

/** The JSON a user writes in .pairlint.json. */
export interface ConfigFile {
  extends?: string;
  rules?: Record<string, SeveritySetting | { severity?: SeveritySetting; options?: Record<string, unknown> }>;
  pairs?: Partial<PairTableData>;
  ignore?: IgnoreEntry[];
}
