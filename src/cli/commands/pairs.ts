/**
 * `pairlint pairs [NAME]`: the pair table learned from the code base (the
 * repository's tree at a revision, or a directory), each pair with its
 * evidence: support, confidence and example sites.
 */
import type { LearnedPair } from '../../pairs/learn/learned.js';
import type { LearnOutcome } from '../../engine/learn-base.js';

export function pairsReport(pairs: readonly LearnedPair[], outcome: LearnOutcome, format: 'text' | 'json'): string {
  if (format === 'json') {
    return JSON.stringify({ version: 1, source: outcome, pairs }, null, 2) + '\n';
  }
  const lines = [
    `${pairs.length} learned pair${pairs.length === 1 ? '' : 's'} from ${outcome.files} C file${outcome.files === 1 ? '' : 's'} ` +
      `(${outcome.how === 'mined' && outcome.mined !== undefined && outcome.mined < outcome.files ? `mined ${outcome.mined}, the rest unchanged since the last tree` : outcome.how}` +
      `${outcome.workers ? ` by ${outcome.workers} worker threads` : ''})`,
  ];
  for (const p of pairs) {
    const why = p.morphology ? 'name and use' : 'use only';
    lines.push(
      `${p.acquire} / ${p.release}  support ${p.support} (same function ${p.sameFunction}, paired functions ${p.pairedFunctions}), ` +
        `confidence ${p.confidence.toFixed(2)} of ${p.acquireCalls} call${p.acquireCalls === 1 ? '' : 's'}, by ${why}`,
    );
    for (const e of p.examples) {
      lines.push(
        e.kind === 'same-function'
          ? `    ${e.path}:${e.line} ${e.fn}() acquires, releases at line ${e.releaseLine}`
          : `    ${e.path}:${e.line} ${e.fn}() acquires, ${e.releaseFn}() releases at line ${e.releaseLine}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** The pairs naming `name` (as acquire or release), or all. */
export function selectPairs(pairs: readonly LearnedPair[], name: string | undefined): LearnedPair[] {
  return name === undefined ? [...pairs] : pairs.filter((p) => p.acquire === name || p.release === name);
}
