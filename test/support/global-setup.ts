/**
 * One temp dir for the whole test run: the learned pair tables of the tests'
 * runs are cached there, not in the user's cache, and the dir is removed when
 * the run ends (a dir per test file, never removed, piled up in /tmp).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testCacheDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pairlint-test-cache-'));
  project.provide('testCacheDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
