/** The rule registry: every rule pairlint knows, in the order they run. */
import type { Rule } from '../src/engine/rule.js';
import { skipAsymmetry } from './skip-asymmetry.js';
import { checkAsymmetry } from './check-asymmetry.js';
import { callAsymmetry } from './call-asymmetry.js';
import { branchAsymmetry } from './branch-asymmetry.js';
import { ramDeviceSkip } from './ram-device-skip.js';

export const RULES: readonly Rule[] = [skipAsymmetry, checkAsymmetry, callAsymmetry, branchAsymmetry, ramDeviceSkip];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));
