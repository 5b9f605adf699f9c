/**
 * Presets a config can extend: rule severities (and option values) on top of
 * each rule's default. A config's own `rules` entries win over the preset's.
 */
import type { PresetSetting } from './types.js';

export const PRESETS: Record<string, Record<string, PresetSetting>> = {
  /** upstream QEMU conventions: the author signs off; cherry-picks are a downstream matter */
  qemu: {
    'cherry-pick-source': 'off',
    'signed-off-by': { options: { authorMatch: true } },
    // short ids and unquoted subjects are merged every week: a note, not a warning
    'fixes-tag': { options: { styleSeverity: 'info' } },
  },
  /**
   * downstream forks: cherry-picks must name their source branch; a pick keeps
   * the upstream author, so the Signed-off-by need not match the author
   */
  downstream: {
    'cherry-pick-source': 'warning',
    'signed-off-by': { options: { authorMatch: false } },
  },
};

export const DEFAULT_PRESET = 'qemu';
