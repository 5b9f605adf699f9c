/** `pairlint explain RULE` lists the rule's message templates, id and text, after its docs. */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { ruleDocsMarkdown } from '../../src/rule/docs.js';
import { runCli } from '../support/cli.js';

describe('pairlint explain: ## Messages', () => {
  it.each(RULES.map((r) => [r.meta.id, r] as const))('%s: every template by id, as written, after the docs', async (_, rule) => {
    const run = await runCli(['explain', rule.meta.id]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(ruleDocsMarkdown(rule))).toBe(true);
    const section = run.stdout.slice(run.stdout.indexOf('\n## Messages\n'));
    expect(section.length).toBeGreaterThan(0);
    const listed = section.split('\n').filter((l) => l.startsWith('- `'));
    expect(listed).toEqual(Object.entries(rule.meta.messages).map(([id, text]) => `- \`${id}\`: ${text}`));
  });

  it('skip-asymmetry lists its related-location templates too; --help says explain prints them', async () => {
    const run = await runCli(['explain', 'skip-asymmetry']);
    expect(run.stdout).toContain('- `nowSkipped`: the {{callee}}() call that is now skipped');
    expect((await runCli(['explain', '--help'])).stdout).toMatch(/message templates/);
    expect((await runCli(['--help'])).stdout).toMatch(/explain.*message\s+templates/s);
  });
});
