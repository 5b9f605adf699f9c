/**
 * The series as a whole: which pair findings are still present at its end.
 * The pair rules run once more on the squashed series (first pre-image to
 * last post-image of each file); a finding whose fingerprint they no longer
 * report was repaired by a later commit (see series.ts).
 */
import type { ResolvedConfig } from '../config/load.js';
import type { Rule } from '../rule/rule.js';
import { ChangedFile } from '../model/changed-file.js';
import { modelService } from '../model/service.js';
import { fingerprint } from './fingerprint.js';
import type { ModelCache } from './model-cache.js';
import { ruleOptions, runRule } from './run-rules.js';
import type { SeriesTracker } from './series.js';

/** Fingerprints of the pair findings the series has as a whole. */
export function squashedFingerprints(tracker: SeriesTracker, cache: ModelCache, config: ResolvedConfig, rules: readonly Rule[]): Set<string> {
  const { commit, images } = tracker.squashed();
  const files: ChangedFile[] = [];
  for (const diff of commit.files) {
    const img = images.get(diff);
    if (!img) continue;
    const path = (diff.newPath ?? diff.oldPath) as string;
    const pre = img.pre !== null ? cache.get(path, img.pre) : null;
    const post = img.post !== null ? cache.get(path, img.post) : null;
    files.push(new ChangedFile(diff, img.mode, pre, post, config.pairs));
  }
  const prints = new Set<string>();
  const model = modelService(files, config.pairs);
  for (const rule of rules) {
    const input = { commit, files, pairs: config.pairs, model, options: ruleOptions(rule, config), lookups: null, findings: [] };
    runRule(rule, input, (draft) => prints.add(fingerprint(rule.meta.id, draft.file, draft.function, draft.key)));
  }
  return prints;
}
