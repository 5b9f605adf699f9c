/** --format markdown: PR comment / job summary, with a size cap. */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { MARKDOWN_LIMIT, escapeMarkdown, formatMarkdown, markdownReporter } from '../../src/report/markdown.js';
import { SEED_PRESENT, finding, lintResult, runClean, runExample, runSeed } from './helpers.js';

const opts = { color: false, rules: RULES, cwd: '/' };

describe('markdown', () => {
  it('the example: totals heading, a table for the commit, both locations', async () => {
    const run = await runExample('markdown');
    expect(run.code).toBe(1);
    const out = run.stdout;
    expect(out).toMatch(/^## pairlint: 1 error, 0 warnings, 0 infos\n/);
    expect(out).toContain('1 finding in 1 commit (1 C file checked).');
    expect(out).toContain('### demo/listener: Let regions opt out of the IOMMU map\n');
    expect(out).toContain('| severity | rule | location | related | message |');
    const row = out.split('\n').find((l) => l.startsWith('| **error**'));
    expect(row).toBeDefined();
    expect(row).toContain('| `skip-asymmetry` | `hw/demo/listener.c:48` | `hw/demo/listener.c:83`<br>`hw/demo/listener.c:56` |');
    // Underscores inside words and code spans stay as they are.
    expect(row).toContain('| demo_listener_region_add() now returns when `memory_region_skip_iommu_map(section->mr)`, skipping');
  });

  it('a clean run is one line with what was checked', async () => {
    const run = await runClean('markdown');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('**pairlint**: no findings in 1 commit (1 C file checked).\n');
  });

  it.skipIf(!SEED_PRESENT)('the seed series: commit label N/M subject (sha), series subject', async () => {
    const out = (await runSeed('skip-map-asymmetric.mbox', 'markdown')).stdout;
    expect(out).toMatch(/^### 1\/2 NVIDIA: SAUCE: memory: Allow RAM device regions to skip IOMMU mapping \(a5c3e94b0627\)$/m);
    expect(out).toMatch(/Series: NVIDIA: SAUCE: Allow RAM device regions to skip IOMMU mapping/);
    expect(out).toContain('`hw/vfio/listener.c:757`');
  });

  it('groups findings by commit, one table each', () => {
    const c2 = { sha: 'b'.repeat(40), subject: 'second', index: 2, total: 2 };
    const out = formatMarkdown(lintResult([finding(), finding({ line: 700 }), finding({ commit: c2 })]));
    expect(out.match(/^### /gm)).toHaveLength(2);
    expect(out.match(/^\| --- /gm)).toHaveLength(2);
    expect(out).toContain('### 2/2 second (bbbbbbbbbbbb)');
  });

  it('stays under 60 KB with many findings and says how many were left out', () => {
    const many = Array.from({ length: 2000 }, (_, i) =>
      finding({ line: i + 1, message: `finding number ${i}: ${'x'.repeat(200)}`, fingerprint: String(i).padStart(32, '0') }),
    );
    const out = markdownReporter.format(lintResult(many), opts);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThan(MARKDOWN_LIMIT);
    expect(MARKDOWN_LIMIT).toBeLessThanOrEqual(60 * 1024);
    const rows = out.split('\n').filter((l) => l.startsWith('| **error**')).length;
    expect(rows).toBeGreaterThan(50);
    expect(rows).toBeLessThan(2000);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`… and ${2000 - rows} more findings`);
    // Rows are whole: the last table row ends with its closing pipe.
    const lastRow = out.split('\n').filter((l) => l.startsWith('| **error**')).at(-1)!;
    expect(lastRow.endsWith(' |')).toBe(true);
  });

  it('the cap counts bytes, not characters', () => {
    const wide = Array.from({ length: 500 }, (_, i) => finding({ line: i + 1, message: '漢字'.repeat(100) }));
    const out = formatMarkdown(lintResult(wide), 20_000);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(20_000);
    expect(out).toMatch(/… and \d+ more findings\n$/);
  });

  it('escapes table and markup characters outside code, keeps code spans, defuses mentions', () => {
    expect(escapeMarkdown('a | b\nc')).toBe('a \\| b c');
    expect(escapeMarkdown('keep `x|y->z` and <b>*bold*</b>')).toBe('keep `x\\|y->z` and \\<b\\>\\*bold\\*\\</b\\>');
    expect(escapeMarkdown('vfio_container_dma_map and _lead')).toBe('vfio_container_dma_map and \\_lead');
    expect(escapeMarkdown('cc @someone')).toBe('cc @\u200bsomeone');
    const row = formatMarkdown(lintResult([finding({ message: 'pipe | in\nmessage' })])).split('\n').find((l) => l.startsWith('| **error**'))!;
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6); // 5 cells: 6 unescaped pipes
  });
});
