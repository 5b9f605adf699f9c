/**
 * Shared pieces of the integration tests (pre-commit, git hooks, the GitHub
 * Action): the listener fixture before and after a one-sided skip, and a
 * committed snapshot of this working tree (what pre-commit installs).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, tempDir } from '../git/helpers.js';
import { REPO_ROOT } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';

export const LISTENER_PATH = 'hw/fx/listener.c';
export const LISTENER = fixture('rules/listener.c');

const BEFORE_MAP = '    vaddr = memory_region_get_ram_ptr(section->mr) +\n';
const SKIP = '    if (memory_region_skip_iommu_map(section->mr)) {\n        return;\n    }\n\n';

/** region_add returns early before the dma_map; region_del still unmaps: a skip-asymmetry error. */
export const SKIP_IN_ADD = edit(LISTENER, BEFORE_MAP, SKIP + BEFORE_MAP);

/** The same skip, mirrored in region_del before the unmap: clean. */
export const SKIP_MIRRORED = edit(
  SKIP_IN_ADD,
  '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));\n',
  '        try_unmap = !((iova & pgmask) || (int128_get64(llsize) & pgmask));\n' +
    '        if (memory_region_skip_iommu_map(section->mr)) {\n            try_unmap = false;\n        }\n',
);

export const SIGNED_OFF = 'Signed-off-by: Ann Author <ann@example.org>';

/**
 * A commit message the commit-message rules accept (the author's sign-off; the
 * skip and its reason named), so the tests of an integration see only the pair
 * findings they are about.
 */
export function commitMessage(subject: string, signedOff = true): string {
  return (
    `${subject}\n\n` +
    'fx_container_region_add() no longer calls vfio_container_dma_map() for regions where\n' +
    'memory_region_skip_iommu_map() is true, because the device maps them itself.\n' +
    (signedOff ? `\n${SIGNED_OFF}\n` : '')
  );
}

/** A change next to the pair that touches neither side's primitives: clean. */
export const UNRELATED_EDIT = edit(LISTENER, BEFORE_MAP, '    /* map the section */\n' + BEFORE_MAP);

/**
 * This working tree (tracked and untracked, not ignored files, as they are on
 * disk now) committed into a fresh repository: what a user's pre-commit would
 * clone. Uncommitted work is included, which `pre-commit try-repo` on the
 * live tree would not do for new files.
 */
export function snapshotWorkingTree(): { dir: string; rev: string } {
  const dir = tempDir('pairlint-snapshot-');
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  for (const rel of new Set(list.split('\0').filter((p) => p !== ''))) {
    const from = join(REPO_ROOT, rel);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the tree, or a symlink/submodule
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    copyFileSync(from, join(dir, rel));
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', 'snapshot of the working tree']);
  return { dir, rev: git(dir, ['rev-parse', 'HEAD']).trim() };
}

/** Whether a command runs (`cmd --version` exits 0). */
export function hasCommand(cmd: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The GitHub Actions output file format: `name<<DELIM\nvalue\nDELIM\n` (and plain `name=value`). */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`output ${name}: delimiter ${delim} never closed`);
      out[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`bad output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
