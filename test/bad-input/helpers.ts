/**
 * Fixtures for the bad-input matrix, written here: a source tree holding our
 * listener fixture, patches made from small edits of it (with `git diff
 * --no-index`), and mails wrapping them the way `git format-patch` does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { diffTexts, tempDir } from '../git/helpers.js';
import type { CliRun } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

export const LISTENER_PATH = 'hw/fx/listener.c';
export const LISTENER = fixture('rules/listener.c');

const GUARD_AT = '    vaddr = memory_region_get_ram_ptr(section->mr) +\n';
/** region_add learns to skip the map; region_del still unmaps: one skip-asymmetry error. */
export const SKIP_EDIT = edit(
  LISTENER,
  GUARD_AT,
  '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n' + GUARD_AT,
);
/** where that finding points in the post-image */
export const SKIP_LINE = lineOf(SKIP_EDIT, 'if (memory_region_skip_iommu_map(section->mr)) {');

/** A harmless edit: one trace call more at the end of region_del. */
export const TRACE_EDIT = edit(
  LISTENER,
  '    memory_region_unref(section->mr);\n}\n',
  '    memory_region_unref(section->mr);\n    trace_fx_region_del_done();\n}\n',
);

/** A temp dir with these files (relative paths). */
export function makeTree(files: Record<string, string | Buffer> = { [LISTENER_PATH]: LISTENER }): string {
  const dir = tempDir('pairlint-bad-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Write `content` to a fresh temp file named `name`; returns its path. */
export function writeTemp(name: string, content: string | Buffer): string {
  const path = join(tempDir('pairlint-bad-'), name);
  writeFileSync(path, content);
  return path;
}

/** The diff of one file of the listener's tree, old -> new (null: absent). */
export function listenerDiff(after: string | null, before: string | null = LISTENER, path = LISTENER_PATH): string {
  return diffTexts(before, after, path);
}

export interface MailOptions {
  subject?: string;
  /** extra header lines (Content-Type, Content-Transfer-Encoding, ...) */
  headers?: string[];
  /** body text before the sign-off */
  body?: string;
  /** the From line's commit id */
  sha?: string;
}

/** One `git format-patch` mail around `diff` (with a sign-off, so commit-message rules stay quiet). */
export function mail(diff: string, options: MailOptions = {}): string {
  const sha = options.sha ?? '1234567890123456789012345678901234567890';
  return [
    `From ${sha} Mon Sep 17 00:00:00 2001`,
    'From: Ann Author <ann@example.org>',
    'Date: Mon, 16 Nov 2026 10:00:00 +0100',
    `Subject: ${options.subject ?? '[PATCH] fx: skip the map for marked regions'}`,
    ...(options.headers ?? []),
    '',
    options.body ?? 'Regions marked by their owner stay out of the IOMMU.',
    '',
    'Signed-off-by: Ann Author <ann@example.org>',
    '---',
    diff.replace(/\n$/, ''),
    '-- ',
    '2.39.5',
    '',
    '',
  ].join('\n');
}

/** exit 2, exactly one line on stderr starting `pairlint: `, no stack trace, nothing on stdout. */
export function expectInputError(run: CliRun, pattern: RegExp): void {
  expect(run.stderr, run.stdout).toMatch(/^pairlint: /);
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(2);
}

/** A run that read its input: exit 0 or 1, nothing on stderr. */
export function expectRead(run: CliRun): void {
  expect(run.stderr).toBe('');
  expect([0, 1]).toContain(run.code);
}
