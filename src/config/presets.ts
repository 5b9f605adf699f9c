/** Presets a config can extend: rule severities on top of each rule's default. */
import type { SeveritySetting } from './types.js';

export const PRESETS: Record<string, Record<string, SeveritySetting>> = {
  /** upstream QEMU conventions: each rule at its default */
  qemu: {},
  /** downstream forks: cherry-picks must name their source branch */
  downstream: { 'cherry-pick-source': 'warning' },
};

export const DEFAULT_PRESET = 'qemu';
