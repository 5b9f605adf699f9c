import { createRequire } from 'node:module';

type Crypto = typeof import('node:crypto');

/**
 * node:crypto, loaded on the first finding: a clean run (the common hook
 * run) does not pay the 2 ms its loading costs at start-up.
 */
let crypto: Crypto | null = null;
function loadCrypto(): Crypto {
  crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto;
  return crypto;
}

/**
 * A finding's identity that survives unrelated line moves: rule, file,
 * function and the rule's key text (callees, predicate), never line numbers.
 */
export function fingerprint(ruleId: string, file: string, fn: string | null, key: string): string {
  return loadCrypto().createHash('sha256').update([ruleId, file, fn ?? '', key].join('\u0000')).digest('hex').slice(0, 32);
}
