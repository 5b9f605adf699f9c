/**
 * A digest of the file this code was loaded from: the CLI bundle when
 * bundled (so any other build of pairlint gets another digest), this
 * module when run from source. Caches put it in their keys so that what
 * one build wrote is never read by another.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let codeDigest: string | null = null;

export function codeId(): string {
  if (codeDigest === null) {
    try {
      codeDigest = createHash('sha1').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex');
    } catch {
      codeDigest = 'unknown';
    }
  }
  return codeDigest;
}
