/**
 * `pairlint pairs [NAME]`: the pair table learned from the code base (the
 * repository's tree at a revision, or a directory), each pair with its
 * evidence: support, confidence and example sites.
 */
import type { LearnedPair } from '../../pairs/learn/learned.js';
import type { LearnOutcome } from '../../engine/learn-base.js';
import { calleeBase, displayCallee } from '../../cmodel/toggles.js';

/** A constructor wrapper the code base shows: `wrapper` hands its caller what a call of `wraps` made. */
export interface Wrapper {
  wrapper: string;
  wraps: string;
}

export function pairsReport(pairs: readonly LearnedPair[], outcome: LearnOutcome, format: 'text' | 'json', wrappers: readonly Wrapper[] = []): string {
  if (format === 'json') {
    return JSON.stringify({ version: 1, source: outcome, pairs, wrappers }, null, 2) + '\n';
  }
  const lines = [
    `${pairs.length} learned pair${pairs.length === 1 ? '' : 's'} from ${outcome.files} C file${outcome.files === 1 ? '' : 's'} ` +
      `(${outcome.how === 'mined' && outcome.mined !== undefined && outcome.mined < outcome.files ? `mined ${outcome.mined}, the rest unchanged since the last tree` : outcome.how}` +
      `${outcome.workers ? ` by ${outcome.workers} worker threads` : ''})`,
  ];
  for (const p of pairs) {
    const why = p.morphology ? 'name and use' : 'use only';
    // a pair forwarders carry over shows the evidence of the pair it comes from, and says so
    const via = p.forwardedVia ? `through forwarders, from ${p.forwardedVia.replace('/', ' / ')}: ` : '';
    lines.push(
      `${displayCallee(p.acquire)} / ${displayCallee(p.release)}  ${via}support ${p.support} (same function ${p.sameFunction}, paired functions ${p.pairedFunctions}${p.sameFile ? `, same file ${p.sameFile}` : ''}), ` +
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
  if (wrappers.length > 0) {
    lines.push(`${wrappers.length} constructor wrapper${wrappers.length === 1 ? '' : 's'} of a known acquire (each returns what the call it wraps made, and acquires what that acquires):`);
    for (const w of wrappers) lines.push(`    ${w.wrapper}() wraps ${w.wraps}()`);
  }
  return lines.join('\n') + '\n';
}

/** The wrappers naming `name` (as wrapper or wrapped), or all. */
export function selectWrappers(wrappers: readonly Wrapper[], name: string | undefined): Wrapper[] {
  return name === undefined ? [...wrappers] : wrappers.filter((w) => w.wrapper === name || w.wraps === name);
}

/** The pairs naming `name` (as acquire or release), or all. */
export function selectPairs(pairs: readonly LearnedPair[], name: string | undefined): LearnedPair[] {
  // a function's switch pairs (`fx_change__true_1_2`) answer to its name too
  return name === undefined ? [...pairs] : pairs.filter((p) => [p.acquire, p.release].some((n) => n === name || calleeBase(n) === name));
}
