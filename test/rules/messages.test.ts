/** Messages from templates: renderMessage, and the engine turning a rule's report into a finding's message. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MessageError, placeholders, renderMessage } from '../../src/rule/messages.js';
import { lint } from '../../src/engine/lint.js';
import { resolveConfig } from '../../src/config/load.js';
import { diffOnlyImages } from '../../src/images/source.js';
import { emptySeriesInfo, type Commit } from '../../src/series/model.js';
import type { ReportDescriptor, Rule } from '../../src/rule/rule.js';
import { COMMIT_MSG_PATH } from '../../src/model/commit-message.js';
import { RULES } from '../../rules/index.js';

const MESSAGES = { skip: '{{fn}}() skips {{ callee }}() {{fn}}', plain: 'no placeholder' };

describe('renderMessage', () => {
  it('fills every placeholder, spaces inside the braces allowed, numbers as text', () => {
    expect(renderMessage('r', MESSAGES, 'skip', { fn: 'region_add', callee: 'map' })).toBe('region_add() skips map() region_add');
    expect(renderMessage('r', { n: '{{n}} calls' }, 'n', { n: 2 })).toBe('2 calls');
    expect(renderMessage('r', MESSAGES, 'plain', undefined)).toBe('no placeholder');
  });

  it('does not expand a value that itself looks like a placeholder', () => {
    expect(renderMessage('r', MESSAGES, 'skip', { fn: '{{callee}}', callee: 'x' })).toBe('{{callee}}() skips x() {{callee}}');
  });

  it('throws on an unknown message id, an inherited name included', () => {
    expect(() => renderMessage('r', MESSAGES, 'nope', {})).toThrow(MessageError);
    expect(() => renderMessage('r', MESSAGES, 'toString', {})).toThrow(/no message "toString"/);
  });

  it('throws on a placeholder without a value instead of leaving a blank', () => {
    expect(() => renderMessage('r', MESSAGES, 'skip', { fn: 'f' })).toThrow(/"skip" has no value for \{\{callee\}\}/);
  });

  it('lists the placeholders of a template', () => {
    expect(placeholders(MESSAGES.skip)).toEqual(['fn', 'callee', 'fn']);
  });
});

describe('the engine renders reports', () => {
  const commit: Commit = {
    sha: null, author: null, date: null, subject: 'one', patchNumber: null,
    message: 'one\n\nBody.', trailers: [], files: [], source: { kind: 'git' },
  };
  const rule = (messageId: string, data: Record<string, string>): Rule => ({
    meta: {
      id: 'probe', category: 'commit', severity: 'warning', summary: 'probe',
      docs: { what: '', why: '', fix: '', bad: '', good: '' },
      messages: { hello: 'hello {{who}}' },
    },
    create: (context) => ({
      commitMessage: () => context.report({ at: { file: COMMIT_MSG_PATH, line: 1, function: null }, messageId, data, related: [], key: 'k' }),
    }),
  });

  it('makes the finding message from messageId and data', async () => {
    const result = await lint([commit], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [rule('hello', { who: 'world' })]);
    expect(result.findings.map((f) => f.message)).toEqual(['hello world']);
  });

  it('reports a bad message as a rule that failed, never as a finding with a blank', async () => {
    for (const bad of [rule('bye', { who: 'x' }), rule('hello', {})]) {
      const result = await lint([commit], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [bad]);
      expect(result.findings).toEqual([]);
      expect(result.notes.some((n) => n.startsWith('not checked:') && n.includes('probe'))).toBe(true);
    }
  });
});

describe('related locations: a template of the rule or plain text', () => {
  const commit: Commit = {
    sha: null, author: null, date: null, subject: 'one', patchNumber: null,
    message: 'one\n\nBody.', trailers: [], files: [], source: { kind: 'git' },
  };
  const rule = (related: ReportDescriptor['related']): Rule => ({
    meta: {
      id: 'probe', category: 'commit', severity: 'warning', summary: 'probe',
      docs: { what: '', why: '', fix: '', bad: '', good: '' },
      messages: { hello: 'hello {{who}}', here: '{{fn}}() calls {{callee}}() here' },
    },
    create: (context) => ({
      commitMessage: () => context.report({ at: { file: COMMIT_MSG_PATH, line: 1, function: null }, messageId: 'hello', data: { who: 'world' }, related, key: 'k' }),
    }),
  });
  const at = { file: 'hw/fx/a.c', line: 3, function: 'fx_add' };

  it('renders a related messageId with its data, keeps a plain message as it is, and records the template of each', async () => {
    const probe = rule([{ ...at, messageId: 'here', data: { fn: 'fx_add', callee: 'fx_map' } }, { ...at, message: 'plain text' }]);
    const result = await lint([commit], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [probe]);
    const [f] = result.findings;
    expect(f?.messageRef).toEqual({ id: 'hello', data: { who: 'world' } });
    expect(f?.related).toEqual([
      { ...at, message: 'fx_add() calls fx_map() here', messageRef: { id: 'here', data: { fn: 'fx_add', callee: 'fx_map' } } },
      { ...at, message: 'plain text' },
    ]);
  });

  it('a related template with a bad id or a missing value is a rule that failed, never a blank', async () => {
    for (const bad of [rule([{ ...at, messageId: 'nope' }]), rule([{ ...at, messageId: 'here', data: { fn: 'x' } }])]) {
      const result = await lint([commit], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [bad]);
      expect(result.findings).toEqual([]);
      expect(result.notes.some((n) => n.startsWith('not checked:') && n.includes('probe'))).toBe(true);
    }
  });
});

describe('the rules\' messages', () => {
  it('has no catch-all template (a message that is only a placeholder)', () => {
    for (const r of RULES) for (const [id, t] of Object.entries(r.meta.messages ?? {})) expect(`${r.meta.id}.${id}: ${t}`).not.toMatch(/: \{\{\s*\w+\s*\}\}\.?$/);
  });
});

/** How deep parentheses nest in prose: code spans, quotes and call parentheses `f()` left out. */
function proseParenDepth(message: string): number {
  const prose = message.replace(/`[^`]*`/g, 'C').replace(/"[^"]*"/g, 'Q').replace(/\(\)/g, '');
  let depth = 0;
  let max = 0;
  for (const ch of prose) {
    if (ch === '(') max = Math.max(max, ++depth);
    else if (ch === ')') depth--;
  }
  return max;
}

describe('the rule-case snapshots\' messages (what the rules really print)', () => {
  const CASES = fileURLToPath(new URL('../fixtures/rule-cases/', import.meta.url));
  const snapshots = readdirSync(CASES).flatMap((rule) =>
    readdirSync(join(CASES, rule))
      .map((name) => join(CASES, rule, name, 'expected.json'))
      .filter((p) => existsSync(p)),
  );
  const findings = snapshots.flatMap((p) => JSON.parse(readFileSync(p, 'utf8')) as { ruleId: string; message: string; related: { message: string }[] }[]);

  it('never nest parentheses in prose (a clause inside a clause inside a clause)', () => {
    expect(findings.length).toBeGreaterThan(100);
    for (const f of findings) for (const m of [f.message, ...f.related.map((r) => r.message)]) expect(`${proseParenDepth(m)}: ${m}`).toMatch(/^[01]: /);
  });

  it('skip-justified lists only the calls a skip keeps from running: no error handling, nothing in the other branch', () => {
    const lists = findings
      .filter((f) => f.ruleId === 'skip-justified')
      .flatMap((f) => [...f.message.matchAll(/ skips ([^)]*\)(?:, [\w]+\(\))*)/g)].map((m) => m[1] as string));
    expect(lists.length).toBeGreaterThan(0);
    // every skip of these cases is in the map branch: the unmap is in the other one
    for (const list of lists) expect(list).not.toMatch(/report|error_|warn_|unmap/);
  });
});
