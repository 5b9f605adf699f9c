import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A fixture file under test/fixtures. */
export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)), 'utf8');
}

/** Replace one exact, unique snippet (fails loudly so a fixture edit cannot silently miss). */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`edit: snippet not found exactly once: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** 1-based line of the first line containing `needle`, after `after` when given. */
export function lineOf(text: string, needle: string, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if ((lines[i] as string).includes(needle)) return i + 1;
  throw new Error(`lineOf: ${needle} not found`);
}
