import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';

/** Text of a fixture under test/fixtures/input. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/input/${name}`, import.meta.url)), 'utf8');
}

/** Run fn, expect an InputError, and return its (one-line) message. */
export function inputErrorOf(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  const message = (caught as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

/** Lines joined with LF and a final newline. */
export function text(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
