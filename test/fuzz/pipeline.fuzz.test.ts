/**
 * Fuzzing the whole pipeline (fast-check): patches made from random small
 * edits of our fixtures (diffed with `git diff --no-index`), wrapped as plain
 * diffs or mails (8bit, quoted-printable, base64, CRLF, series of two), then
 * mutated byte- and line-wise, hunk headers included. Every input goes
 * through the real CLI (`runCli --tree TREE FILE --format json`):
 *
 *  - no uncaught exception, no "internal error";
 *  - exit status 0, 1 or 2; on 2, exactly one line on stderr;
 *  - an unmutated patch is read (exit 0 or 1), and every finding's line and
 *    related lines exist in the post-image of the cited file at that commit.
 *
 * `npm test` runs a short budget (FUZZ_RUNS unset: 40 runs per property);
 * `npm run fuzz` a long one (FUZZ_RUNS, default 2000). FUZZ_SEED replays.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../git/helpers.js';
import { runCli, type JsonReport } from '../support/cli.js';
import { fixture } from '../support/fixtures.js';
import { quotedPrintable } from '../support/mail.js';

afterAll(cleanupTempDirs);

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
/** per property: generous, as the long budget scales with FUZZ_RUNS */
const TIMEOUT = 30_000 + RUNS * 150;

const FILES: Record<string, string> = {
  'hw/fx/listener.c': fixture('rules/listener.c'),
  'hw/fx/memory-core.c': fixture('rules/memory-core.c'),
  'hw/fx/notify.c': fixture('rules/notify.c'),
};
const PATHS = Object.keys(FILES);

/** Lines an edit may insert: pair primitives, guards, gate flips, braces, macros, junk. */
const POOL = [
  '    memory_region_ref(section->mr);',
  '    memory_region_unref(section->mr);',
  '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }',
  '    if (memory_region_is_ram_device(section->mr)) {\n        try_unmap = false;\n    }',
  '    try_unmap = false;',
  '    ret = vfio_container_dma_map(fc->bcontainer, iova, 0, NULL, false, NULL);',
  '    vfio_container_dma_unmap(fc->bcontainer, iova, int128_get64(llsize), NULL, false);',
  '    memory_listener_register(&fc->listener, as);',
  '    memory_listener_unregister(&fc->listener);',
  '    return;',
  '    goto out;',
  'out:',
  '    }',
  '{',
  '#define FX_WITH(x) for (int _i = 0; !_i; _i = 1)',
  '    FX_WITH(x) {',
  '/* a comment */',
  '',
  '    trace_fx_event(section->offset_within_region);',
  'static void fx_new_helper(void) { }',
  '    .region_del = fx_listener_region_del,',
];

type Op =
  | { kind: 'insert'; at: number; line: number }
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; line: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; at: number }
  /** drop or restore the newline at the end of the file */
  | { kind: 'eol' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: fc.nat(POOL.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), line: fc.nat(POOL.length - 1) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('eol' as const) }),
);

function applyOps(text: string, ops: Op[]): string {
  const lines = text.split('\n');
  let eol = lines[lines.length - 1] === '';
  if (eol) lines.pop();
  for (const op of ops) {
    if (op.kind === 'eol') {
      eol = !eol;
      continue;
    }
    const at = lines.length === 0 ? 0 : op.at % lines.length;
    switch (op.kind) {
      case 'insert':
        lines.splice(at, 0, ...(POOL[op.line] as string).split('\n'));
        break;
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'replace':
        lines.splice(at, 1, ...(POOL[op.line] as string).split('\n'));
        break;
      case 'duplicate':
        lines.splice(at, 0, lines[at] ?? '');
        break;
      case 'swap':
        if (at + 1 < lines.length) [lines[at], lines[at + 1]] = [lines[at + 1] as string, lines[at] as string];
        break;
    }
  }
  const out = lines.join('\n') + (eol && lines.length > 0 ? '\n' : '');
  return out === text ? out + '\n/* touched */\n' : out;
}

/** One commit: edits of one or two files (an edit of a file that is gone creates it); some deletions. */
interface CommitSpec {
  files: { path: string; ops: Op[]; remove: boolean }[];
}

const NEW_PATH = 'hw/fx/new.c';

const commitArb: fc.Arbitrary<CommitSpec> = fc.record({
  files: fc.uniqueArray(
    fc.record({
      path: fc.constantFrom(...PATHS, NEW_PATH),
      ops: fc.array(opArb, { minLength: 1, maxLength: 4 }),
      remove: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))).chain((b) => (b ? fc.boolean() : fc.constant(false))),
    }),
    { minLength: 1, maxLength: 2, selector: (f) => f.path },
  ),
});

type Wrap = 'plain' | 'mail' | 'qp' | 'base64' | 'crlf';

interface Mutation {
  kind: 'byte' | 'insert-bytes' | 'delete-line' | 'duplicate-line' | 'swap-lines' | 'header-count' | 'truncate' | 'line-kind';
  /** where, as a fraction of the input */
  at: number;
  value: number;
  bytes: number[];
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('byte', 'insert-bytes', 'delete-line', 'duplicate-line', 'swap-lines', 'header-count', 'truncate', 'line-kind'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  value: fc.integer({ min: -3, max: 300 }),
  bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0x00, 0x40, 0x2b, 0x2d, 0x20, 0x5c)), { minLength: 1, maxLength: 8 }),
});

let work: string;
let tree: string;
let counter = 0;

/** `git diff --no-index` of one file (null: absent on that side), with a/ and b/ prefixes on the real path. */
function gitDiff(path: string, before: string | null, after: string | null): string {
  const d = join(work, 'diff');
  rmSync(d, { recursive: true, force: true });
  for (const [side, text] of [['old', before], ['new', after]] as const) {
    mkdirSync(dirname(join(d, side, path)), { recursive: true });
    if (text !== null) writeFileSync(join(d, side, path), text);
  }
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', 'old', 'new'], {
      cwd: d,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (e) {
    const err = e as { status?: number; stdout?: Buffer };
    if (err.status !== 1 || !err.stdout) throw e;
    return err.stdout.toString('utf8').replace(/(^|[ \t])([ab])\/(old|new)\//gm, '$1$2/');
  }
}

function wrapMail(diff: string, n: number, total: number, sha: string, wrap: Wrap): string {
  const headers = [
    `From ${sha} Mon Sep 17 00:00:00 2001`,
    'From: Ann Author <ann@example.org>',
    'Date: Mon, 16 Nov 2026 10:00:00 +0100',
    `Subject: [PATCH ${n}/${total}] fx: edit ${n}`,
  ];
  const body = `Edit number ${n}.\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n${diff}-- \n2.39.5\n`;
  if (wrap === 'qp') return `${headers.join('\n')}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n${quotedPrintable(body)}\n`;
  if (wrap === 'base64') {
    const b64 = (Buffer.from(body).toString('base64').match(/.{1,76}/g) ?? []).join('\n');
    return `${headers.join('\n')}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n${b64}\n\n`;
  }
  return `${headers.join('\n')}\n\n${body}\n`;
}

interface Built {
  bytes: Buffer;
  /** commit sha (null for a plain diff) -> every file of the tree after that commit */
  posts: Map<string | null, Map<string, string>>;
  /** commit sha -> the files it changed */
  changed: Map<string | null, Set<string>>;
}

/** A valid patch input: 1 or 2 commits applied in sequence to FILES. */
function build(commits: CommitSpec[], wrap: Wrap): Built {
  const current = new Map(Object.entries(FILES));
  const posts = new Map<string | null, Map<string, string>>();
  const changed = new Map<string | null, Set<string>>();
  const parts: string[] = [];
  const total = wrap === 'plain' ? 1 : commits.length;
  for (let i = 0; i < total; i++) {
    const spec = commits[i] as CommitSpec;
    const sha = wrap === 'plain' ? null : `${(i + 1).toString(16).padStart(2, '0')}${'ab'.repeat(19)}`;
    let diff = '';
    const touched = new Set<string>();
    for (const f of spec.files) {
      const before = current.get(f.path) ?? null;
      const after = before !== null && f.remove ? null : applyOps(before ?? POOL.join('\n') + '\n', f.ops);
      diff += gitDiff(f.path, before, after);
      if (after === null) current.delete(f.path);
      else {
        current.set(f.path, after);
        touched.add(f.path);
      }
    }
    posts.set(sha, new Map(current));
    changed.set(sha, touched);
    parts.push(wrap === 'plain' ? diff : wrapMail(diff, i + 1, total, sha as string, wrap));
  }
  let text = parts.join('');
  if (wrap === 'crlf') text = text.replace(/\n/g, '\r\n');
  return { bytes: Buffer.from(text, 'utf8'), posts, changed };
}

function mutate(input: Buffer, m: Mutation): Buffer {
  const at = Math.floor(m.at * input.length);
  const lines = input.toString('latin1').split('\n');
  const li = Math.floor(m.at * lines.length);
  const join = (ls: string[]) => Buffer.from(ls.join('\n'), 'latin1');
  switch (m.kind) {
    case 'byte': {
      const out = Buffer.from(input);
      if (out.length > 0) out[at] = (m.bytes[0] as number) & 0xff;
      return out;
    }
    case 'insert-bytes':
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.bytes), input.subarray(at)]);
    case 'delete-line':
      lines.splice(li, 1);
      return join(lines);
    case 'duplicate-line':
      lines.splice(li, 0, lines[li] ?? '');
      return join(lines);
    case 'swap-lines':
      if (li + 1 < lines.length) [lines[li], lines[li + 1]] = [lines[li + 1] as string, lines[li] as string];
      return join(lines);
    case 'header-count': {
      const headers = lines.map((l, i) => (l.startsWith('@@ ') ? i : -1)).filter((i) => i >= 0);
      if (headers.length === 0) return join(lines);
      const h = headers[li % headers.length] as number;
      let k = 0;
      const which = Math.abs(m.value) % 4;
      lines[h] = (lines[h] as string).replace(/\d+/g, (d) => (k++ === which ? String(Math.max(0, Number(d) + m.value)) : d));
      return join(lines);
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'line-kind': {
      const body = lines.map((l, i) => (/^[ +-]/.test(l) && !/^(\+\+\+|---) /.test(l) ? i : -1)).filter((i) => i >= 0);
      if (body.length === 0) return join(lines);
      const b = body[li % body.length] as number;
      lines[b] = [' ', '+', '-', '\\', '@', 'x'][Math.abs(m.value) % 6] + (lines[b] as string).slice(1);
      return join(lines);
    }
  }
}

async function runInput(bytes: Buffer): Promise<{ code: number; stdout: string; stderr: string }> {
  const path = join(work, `input-${counter++ % 4}.patch`);
  writeFileSync(path, bytes);
  return runCli(['--tree', tree, path, '--format', 'json']);
}

/** The properties every run must have, whatever the input. */
function checkRun(run: { code: number; stdout: string; stderr: string }): JsonReport | null {
  expect(run.stderr).not.toContain('internal error');
  expect([0, 1, 2]).toContain(run.code);
  if (run.code === 2) {
    expect(run.stderr).toMatch(/^pairlint: [^\n]+\n$/);
    expect(run.stdout).toBe('');
    return null;
  }
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as JsonReport;
  for (const f of report.findings) {
    expect(Number.isInteger(f.line) && f.line >= 1, `${f.ruleId} ${f.file}:${f.line}`).toBe(true);
    for (const r of f.related) expect(Number.isInteger(r.line) && r.line >= 1).toBe(true);
  }
  return report;
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

const wrapArb = fc.constantFrom<Wrap>('plain', 'mail', 'qp', 'base64', 'crlf');
const inputArb = fc.record({ commits: fc.array(commitArb, { minLength: 2, maxLength: 2 }), wrap: wrapArb });

describe('fuzzing the pipeline', () => {
  beforeAll(() => {
    work = tempDir('pairlint-fuzz-');
    tree = join(work, 'tree');
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  });

  it(
    'valid patches are read, and findings cite lines of the post-image',
    async () => {
      await fc.assert(
        fc.asyncProperty(inputArb, async ({ commits, wrap }) => {
          const built = build(commits, wrap);
          const run = await runInput(built.bytes);
          const report = checkRun(run);
          expect(run.code, run.stderr).not.toBe(2);
          for (const f of (report as JsonReport).findings) {
            if (f.category !== 'pair' && f.category !== 'domain') continue;
            const sha = f.commit?.sha ?? null;
            const posts = built.posts.get(sha);
            expect(built.changed.get(sha)?.has(f.file), `${f.ruleId} cites ${f.file}, which its commit did not change`).toBe(true);
            const text = posts?.get(f.file);
            expect(f.line, `${f.ruleId} ${f.file}:${f.line}`).toBeLessThanOrEqual(lineCount(text as string));
            for (const r of f.related) {
              const rt = posts?.get(r.file);
              expect(rt, `related ${r.file}`).toBeDefined();
              expect(r.line, `${f.ruleId} related ${r.file}:${r.line}`).toBeLessThanOrEqual(lineCount(rt as string));
            }
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );

  it(
    'mutated patches and mboxes: exit 0/1/2, one line on stderr when 2, never an internal error',
    async () => {
      await fc.assert(
        fc.asyncProperty(inputArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async ({ commits, wrap }, mutations) => {
          let bytes = build(commits, wrap).bytes;
          for (const m of mutations) bytes = mutate(bytes, m);
          checkRun(await runInput(bytes));
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );

  it(
    'random bytes and random lines',
    async () => {
      const lineArb = fc.oneof(
        fc.constantFrom('diff --git a/hw/fx/listener.c b/hw/fx/listener.c', '--- a/hw/fx/listener.c', '+++ b/hw/fx/listener.c', '@@ -1,3 +1,3 @@', '@@ -40 +40,2 @@ f', 'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001', 'Subject: [PATCH] x', 'From: a <a@b>', '', '-- ', 'GIT binary patch', 'literal 0', '\\ No newline at end of file', 'rename from hw/fx/listener.c', 'rename to hw/fx/x.c', 'new file mode 100644', 'deleted file mode 100644', 'Content-Transfer-Encoding: base64'),
        fc.string({ maxLength: 40 }).map((s) => [' ', '+', '-', ''][s.length % 4] + s),
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)), fc.array(lineArb, { maxLength: 30 }).map((ls) => Buffer.from(ls.join('\n') + '\n'))), async (bytes) => {
          checkRun(await runInput(bytes));
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    TIMEOUT,
  );
});
