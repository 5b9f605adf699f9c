/** The rule registry: every rule pairlint knows, in the order they run. */
import type { Rule } from '../src/rule/rule.js';
import { skipAsymmetry } from './skip-asymmetry.js';
import { checkAsymmetry } from './check-asymmetry.js';
import { callAsymmetry } from './call-asymmetry.js';
import { branchAsymmetry } from './branch-asymmetry.js';
import { ramDeviceSkip } from './ram-device-skip.js';
import { retryAsymmetry } from './retry-asymmetry.js';
import { errorPathLeak } from './error-path-leak.js';
import { indexAsymmetry } from './index-asymmetry.js';
import { heldOnExit } from './held-on-exit.js';
import { overwriteLeak } from './overwrite-leak.js';
import { errorLeak } from './error-leak.js';
import { failureFallsThrough } from './failure-falls-through.js';
import { movedRelease } from './moved-release.js';
import { releasedTwiceRule } from './released-twice.js';
import { releasedBorrowed } from './released-borrowed.js';
import { usedAfterRelease } from './used-after-release.js';
import { acquiredTwiceRule } from './acquired-twice.js';
import { mismatchedRelease } from './mismatched-release.js';
import { conditionAsymmetry } from './condition-asymmetry.js';
import { fieldLeak } from './field-leak.js';
import { copyPasteSide } from './copy-paste-side.js';
import { crossedRelease } from './crossed-release.js';
import { unguardedUse } from './unguarded-use.js';
import { signedOffBy } from './signed-off-by.js';
import { fixesTag } from './fixes-tag.js';
import { cherryPickSource } from './cherry-pick-source.js';
import { revertReason } from './revert-reason.js';
import { skipJustified } from './skip-justified.js';
import { invalidSuppression } from './invalid-suppression.js';
import { unusedSuppression } from './unused-suppression.js';

export const RULES: readonly Rule[] = [
  skipAsymmetry,
  checkAsymmetry,
  callAsymmetry,
  branchAsymmetry,
  retryAsymmetry,
  errorPathLeak,
  heldOnExit,
  overwriteLeak,
  errorLeak,
  failureFallsThrough,
  movedRelease,
  releasedTwiceRule,
  releasedBorrowed,
  usedAfterRelease,
  acquiredTwiceRule,
  mismatchedRelease,
  indexAsymmetry,
  conditionAsymmetry,
  fieldLeak,
  copyPasteSide,
  crossedRelease,
  unguardedUse,
  ramDeviceSkip,
  // commit messages
  signedOffBy,
  fixesTag,
  cherryPickSource,
  revertReason,
  skipJustified,
  // suppressions (reported by the engine's suppression stage)
  invalidSuppression,
  unusedSuppression,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.meta.id));

/** The options each rule takes (none: {}), for validating `rules.<id>.options` in a config. */
export const RULE_OPTION_SPECS: ReadonlyMap<string, NonNullable<Rule['meta']['options']>> = new Map(
  RULES.map((r) => [r.meta.id, r.meta.options ?? {}]),
);
