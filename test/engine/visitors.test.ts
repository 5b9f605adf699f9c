/** runRule: the order the engine calls a rule's visitors in, and the options' types a rule sees. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { runRule, type RuleInput } from '../../src/engine/run-rules.js';
import type { Rule, RuleOptions, RuleOptionSpecs } from '../../src/rule/rule.js';
import type { ChangedFile, FunctionChange, ModelService } from '../../src/rule/model.js';
import type { SidePair } from '../../src/pairs/sides.js';
import type { SeveritySetting } from '../../src/config/types.js';

/** Just what runRule reads of a file: its path, function changes and pairs. */
function file(path: string, changes: string[], pairs: string[]): ChangedFile {
  return {
    path,
    functionChanges: () => changes.map((name) => ({ name, pre: null, post: null })),
    postSides: pairs.map((acquire) => ({ acquire })),
  } as unknown as ChangedFile;
}

function input(hasMessage: boolean, files: ChangedFile[]): RuleInput {
  return {
    commit: { subject: 's' } as RuleInput['commit'],
    files,
    pairs: {} as RuleInput['pairs'],
    model: { hasCommitMessage: () => hasMessage } as unknown as ModelService,
    options: {},
    lookups: null,
    findings: [],
  };
}

const recorder = (calls: string[]): Rule => ({
  meta: { id: 'probe', category: 'pair', severity: 'warning', summary: '', docs: { what: '', why: '', fix: '', bad: '', good: '' }, messages: {} },
  create: () => ({
    commit: () => calls.push('commit'),
    commitMessage: () => calls.push('message'),
    changedFile: (f: ChangedFile) => calls.push(`file ${f.path}`),
    changedFunction: (f: ChangedFile, c: FunctionChange) => calls.push(`function ${f.path} ${c.name}`),
    pair: (f: ChangedFile, p: SidePair) => calls.push(`pair ${f.path} ${p.acquire}`),
  }),
});

describe('runRule', () => {
  it('calls commit, commitMessage, then per file changedFile, its functions and its pairs', () => {
    const calls: string[] = [];
    runRule(recorder(calls), input(true, [file('a.c', ['f', 'g'], ['add']), file('b.c', [], ['map'])]), () => {});
    expect(calls).toEqual(['commit', 'message', 'file a.c', 'function a.c f', 'function a.c g', 'pair a.c add', 'file b.c', 'pair b.c map']);
  });

  it('calls commitMessage only when the commit has a message', () => {
    const calls: string[] = [];
    runRule(recorder(calls), input(false, [file('a.c', [], [])]), () => {});
    expect(calls).toEqual(['commit', 'file a.c']);
  });
});

describe('typed options', () => {
  it('types each option from its spec', () => {
    const specs = {
      on: { type: 'boolean', default: true, description: '' },
      names: { type: 'strings', default: [], description: '' },
      re: { type: 'regex', default: '.', description: '' },
      level: { type: 'severity', default: 'info', description: '' },
    } satisfies RuleOptionSpecs;
    expectTypeOf<RuleOptions<typeof specs>>().toEqualTypeOf<{
      readonly on: boolean;
      readonly names: readonly string[];
      readonly re: string;
      readonly level: SeveritySetting;
    }>();
  });
});
