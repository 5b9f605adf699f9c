/**
 * --format sarif: the rules' message templates as `rules[].messageStrings`
 * (SARIF 2.1.0 §3.49.11, placeholders numbered `{0}`, `{1}`, ...), and each
 * result's (and related location's) message as `text` plus the template's
 * `id` and `arguments`. Read back the way a SARIF consumer does (§3.11.5:
 * `{n}` is argument n, `{{`/`}}` are literal braces), id and arguments give
 * the message the rule rendered; `text` stays, for GitHub code scanning.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { numberedTemplate, renderMessage } from '../../src/rule/messages.js';
import { sarifReporter } from '../../src/report/sarif.js';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runCli, runJson } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';
import { finding, lintResult, runExample, sarifValidator } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

afterAll(cleanupTempDirs);
const validate = sarifValidator()!;

/** A SARIF consumer's formatting of a message string with its arguments (§3.11.5). */
function formatSarif(format: string, args: readonly string[]): string {
  return format.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) => {
    if (n === undefined) return m[0] as string;
    const arg = args[Number(n)];
    if (arg === undefined) throw new Error(`no argument ${n} for ${format}`);
    return arg;
  });
}

/** Every message of a run that has an id, checked against its rule's messageStrings; returns how many. */
function expectMessagesFromTemplates(log: Json, textOf: (res: Json) => string = (res) => res.message.text): number {
  const run = log.runs[0];
  let checked = 0;
  for (const res of run.results) {
    const strings = run.tool.driver.rules[res.ruleIndex].messageStrings;
    const messages = [
      { message: res.message, text: textOf(res) },
      ...(res.relatedLocations ?? []).map((r: Json) => ({ message: r.message, text: r.message.text })),
    ];
    for (const { message, text } of messages) {
      // code scanning shows text: always there
      expect(typeof message.text).toBe('string');
      expect(message.text.length).toBeGreaterThan(0);
      if (message.id === undefined) continue;
      expect(strings[message.id], `${res.ruleId}: no messageStrings.${message.id}`).toBeDefined();
      expect(formatSarif(strings[message.id].text, message.arguments ?? [])).toBe(text);
      checked++;
    }
  }
  return checked;
}

describe('numberedTemplate', () => {
  it('numbers distinct placeholders by first appearance, repeats keep their number', () => {
    expect(numberedTemplate('{{fn}}() skips {{ callee }}() in {{fn}}()')).toEqual({ text: '{0}() skips {1}() in {0}()', names: ['fn', 'callee'] });
    expect(numberedTemplate('no placeholder')).toEqual({ text: 'no placeholder', names: [] });
  });

  it('doubles literal braces, as SARIF format strings write them', () => {
    // skip-asymmetry's mirrorGate: C braces around a placeholder
    const t = 'mirror (for example `if ({{predicate}}) { {{flag}} = false; }`)';
    const n = numberedTemplate(t);
    expect(n.text).toBe('mirror (for example `if ({0}) {{ {1} = false; }}`)');
    const data = { predicate: 'skip(mr)', flag: 'try_unmap' };
    expect(formatSarif(n.text, n.names.map((k) => data[k as keyof typeof data]))).toBe(renderMessage('r', { t }, 't', data));
  });
});

describe('rules[].messageStrings', () => {
  it('every rule lists every template of meta.messages, numbered', async () => {
    const log: Json = JSON.parse((await runExample('sarif')).stdout);
    const rules = log.runs[0].tool.driver.rules;
    for (const [i, rule] of RULES.entries()) {
      const ids = Object.keys(rule.meta.messages);
      expect(Object.keys(rules[i].messageStrings)).toEqual(ids);
      for (const id of ids) {
        const text: string = rules[i].messageStrings[id].text;
        expect(text).toBe(numberedTemplate(rule.meta.messages[id as keyof typeof rule.meta.messages] as string).text);
        expect(text).not.toMatch(/\{\{\s*[A-Za-z_]\w*\s*\}\}/);
      }
    }
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('result messages: text, id and arguments', () => {
  it('the example patch: the result and its related locations format back to their text', async () => {
    const log: Json = JSON.parse((await runExample('sarif')).stdout);
    const json = await runJson(['--tree', 'examples/tree', 'examples/skip-unmap.patch']);
    const [res] = log.runs[0].results;
    expect(res.message.text).toBe(json.findings[0]!.message);
    expect(res.message.id).toBe('skip');
    expect(res.message.arguments[0]).toBe('demo_listener_region_add');
    // the related locations' messages are skip-asymmetry's templates too
    expect(res.relatedLocations.map((r: Json) => r.message.id)).toEqual(['stillCallsWhen', 'nowSkipped']);
    expect(expectMessagesFromTemplates(log)).toBe(3);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a commit with pair and commit-message findings: every message formats back; the message finding\'s text keeps its place', async () => {
    // the container roots an address space, so exit must still take the subregion out: it stops doing so
    const base = edit(fixture('causes/bar.c'), '    pci_register_bar(', '    address_space_init(&s->as, &s->bar, "fx-as");\n    pci_register_bar(');
    const after = edit(base, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '');
    const repo = TestRepo.create();
    repo.commit('base', { 'hw/fx/bar.c': base });
    repo.commit('hw/fx: drop the del\n\nNo sign-off here.', { 'hw/fx/bar.c': after });
    const run = await runCli(['HEAD~1..HEAD', '-C', repo.dir, '--format', 'sarif']);
    expect(run.stderr).toBe('');
    const log: Json = JSON.parse(run.stdout);
    const results = log.runs[0].results;
    const rules = results.map((r: Json) => r.ruleId);
    expect(rules).toContain('signed-off-by');
    expect(rules).toContain('call-asymmetry');
    // the text of a commit-message finding starts with where it is; the template is the finding's own message
    const json = await runJson(['HEAD~1..HEAD', '-C', repo.dir]);
    const messageOf = (res: Json) => {
      const f = json.findings.find((x) => x.ruleId === res.ruleId && x.fingerprint === res.partialFingerprints['pairlint/v1']);
      return f!.message;
    };
    const sob = results.find((r: Json) => r.ruleId === 'signed-off-by');
    expect(sob.message.text).toMatch(/^commit message of .*: no Signed-off-by: trailer/);
    expect(sob.message.id).toBe('missing');
    expect(expectMessagesFromTemplates(log, messageOf)).toBeGreaterThanOrEqual(3);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a plain related message, a rule pairlint does not list, or a template that does not fit the data: text only', () => {
    const log: Json = JSON.parse(
      sarifReporter.format(
        lintResult([
          finding({ messageRef: { id: 'nowSkipped', data: { callee: 'map' } } }),
          finding({ ruleId: 'no-such-rule', messageRef: { id: 'skip', data: {} } }),
          finding({ messageRef: { id: 'skip', data: { fn: 'only this' } } }),
        ]),
        { color: false, rules: RULES, cwd: '/' },
      ),
    );
    const [a, b, c] = log.runs[0].results;
    expect(a.message).toEqual({ text: 'region_add skips the map, region_del still unmaps', id: 'nowSkipped', arguments: ['map'] });
    expect(a.relatedLocations[0].message).toEqual({ text: 'still unmaps here' });
    expect(b.message).toEqual({ text: 'region_add skips the map, region_del still unmaps' });
    expect(c.message).toEqual({ text: 'region_add skips the map, region_del still unmaps' });
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });
});
