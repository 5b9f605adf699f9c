/** The engine's general mechanisms, with rules written for the test: `meta.after` and the lookup pre-pass. */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { resolveConfig } from '../../src/config/load.js';
import { diffOnlyImages } from '../../src/images/source.js';
import { emptySeriesInfo, type Commit } from '../../src/series/model.js';
import type { CommitRef, Rule, RuleContext } from '../../src/rule/rule.js';
import { COMMIT_MSG_PATH } from '../../src/model/commit-message.js';

function commit(subject: string, sha: string | null = null): Commit {
  return {
    sha,
    author: null,
    date: null,
    subject,
    patchNumber: null,
    message: `${subject}\n\nBody.`,
    trailers: [],
    files: [],
    source: { kind: 'git' },
  };
}

/** A rule whose commit visitor is `check`; its one message is the data it reports. */
function testRule(id: string, check: (ctx: RuleContext<Record<never, never>, 'said'>) => void, extra: Partial<Rule> & { after?: boolean } = {}): Rule {
  const { after, ...rest } = extra;
  return {
    meta: {
      id,
      category: 'commit',
      severity: 'warning',
      summary: id,
      docs: { what: '', why: '', fix: '', bad: '', good: '' },
      messages: { said: '{{text}}' },
      ...(after ? { after } : {}),
    },
    create: (ctx: RuleContext<Record<never, never>, 'said'>) => ({ commit: () => check(ctx) }),
    ...rest,
  };
}

const report = (ctx: RuleContext<Record<never, never>, 'said'>, message: string) =>
  ctx.report({ at: { file: COMMIT_MSG_PATH, line: 1, function: null }, messageId: 'said', data: { text: message }, related: [], key: message });

describe('engine phases', () => {
  it('meta.after rules run last and see the findings of the same commit only', async () => {
    const seen: string[][] = [];
    const late = testRule('late', (ctx) => {
      seen.push(ctx.findings.map((f) => `${f.ruleId}:${f.message}`));
      if (ctx.findings.length > 0) report(ctx, `saw ${ctx.findings.length}`);
    }, { after: true });
    const early = testRule('early', (ctx) => report(ctx, ctx.commit.subject));
    const result = await lint([commit('one'), commit('two')], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [late, early]);
    expect(seen).toEqual([['early:one'], ['early:two']]);
    expect(result.findings.map((f) => `${f.ruleId}:${f.message}`)).toEqual(['early:one', 'late:saw 1', 'early:two', 'late:saw 1']);
  });

  it('resolves what rules ask for through the repository before they run, and commits seen earlier in the input', async () => {
    const asked: string[] = [];
    const resolver = {
      async commitSubject(id: string): Promise<CommitRef | null> {
        asked.push(id);
        return id === 'abcdef123456' ? { sha: 'abcdef1234567890abcdef1234567890abcdef12', subject: 'in the repo' } : null;
      },
    };
    const got: (ReadonlyMap<string, CommitRef | null> | null)[] = [];
    const rule = testRule('refs', (ctx) => got.push(ctx.lookups), { lookup: () => ['ABCDEF123456', 'feedface0000', 'not-hex', '1111111111aa'] });
    const commits = [commit('first', '1111111111aa2222222222222222222222222222'), commit('second')];
    await lint(commits, diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [rule], { repo: resolver });
    expect(got[1]?.get('abcdef123456')).toEqual({ sha: 'abcdef1234567890abcdef1234567890abcdef12', subject: 'in the repo' });
    expect(got[1]?.get('feedface0000')).toBeNull();
    expect(got[1]?.has('not-hex')).toBe(false);
    // the first commit of the input answers for itself once it has been seen
    expect(got[1]?.get('1111111111aa')).toEqual({ sha: '1111111111aa2222222222222222222222222222', subject: 'first' });
    // each id is asked once (cached)
    expect(asked.filter((a) => a === 'abcdef123456')).toHaveLength(1);
    // no repository: no lookups at all
    const none: unknown[] = [];
    await lint([commit('x')], diffOnlyImages(), emptySeriesInfo(), resolveConfig({}, null), [testRule('r', (ctx) => none.push(ctx.lookups), { lookup: () => ['abcdef123456'] })]);
    expect(none).toEqual([null]);
  });
});
