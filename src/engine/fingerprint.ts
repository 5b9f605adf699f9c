import { createHash } from 'node:crypto';

/**
 * A finding's identity that survives unrelated line moves: rule, file,
 * function and the rule's key text (callees, predicate), never line numbers.
 */
export function fingerprint(ruleId: string, file: string, fn: string | null, key: string): string {
  return createHash('sha256').update([ruleId, file, fn ?? '', key].join('\u0000')).digest('hex').slice(0, 32);
}
