/**
 * A `git diff`-shaped patch of two directory snapshots (pre/ and post/), for
 * the rule cases that give the code before and after instead of a patch. The
 * line diff is the engine's own (lineHunks: Myers with three lines of
 * context), so the tester needs no git.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { lineHunks } from '../../src/engine/text-diff.js';

/** Relative paths (with `/`) of every file under `dir`, sorted. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string) => {
    for (const e of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function readText(dir: string, path: string): string {
  const text = readFileSync(join(dir, path), 'utf8');
  // the patch would need "\ No newline at end of file" markers: fixtures are plain text files
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${join(dir, path)}: a fixture file must end with a newline`);
  return text;
}

/** The diff of one file (null: absent on that side), as `git diff` writes it; '' when equal. */
function fileDiff(path: string, pre: string | null, post: string | null): string {
  if (pre === post) return '';
  const hunks = lineHunks(pre ?? '', post ?? '');
  const head = [`diff --git a/${path} b/${path}`];
  if (pre === null) head.push('new file mode 100644');
  if (post === null) head.push('deleted file mode 100644');
  head.push(pre === null ? '--- /dev/null' : `--- a/${path}`, post === null ? '+++ /dev/null' : `+++ b/${path}`);
  const body = hunks.flatMap((h) => [
    `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
    ...h.lines.map((l) => `${l.kind}${l.text}`),
  ]);
  return [...head, ...body].join('\n') + '\n';
}

/** The patch that turns the files under `preDir` into those under `postDir`. */
export function diffDirs(preDir: string, postDir: string): string {
  const paths = [...new Set([...filesUnder(preDir), ...filesUnder(postDir)])].sort();
  return paths
    .map((p) =>
      fileDiff(p, existsSync(join(preDir, p)) ? readText(preDir, p) : null, existsSync(join(postDir, p)) ? readText(postDir, p) : null),
    )
    .join('');
}
