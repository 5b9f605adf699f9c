import { InputError } from '../errors.js';

/**
 * Patch bytes to text. Invalid UTF-8 is kept as U+FFFD rather than refused:
 * mail bodies declare their own charset and are decoded again by the mail
 * parser. A NUL byte means this is not a text patch at all.
 */
export function decodeInputBytes(bytes: Buffer, source: string): string {
  if (bytes.length === 0) throw new InputError(`${source}: empty input`);
  if (bytes.includes(0)) throw new InputError(`${source}: binary data (NUL byte), not a patch`);
  return bytes.toString('utf8');
}
