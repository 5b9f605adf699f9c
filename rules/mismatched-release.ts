/**
 * mismatched-release: a release the commit adds under a test of one object
 * (`if (s->b) { ... }`) releases another object of the same instance (`s->a`),
 * which the function releases already: the block was copied from the one
 * before it and only its test was edited. What the test names is never
 * released, and the other object is released twice.
 */
import type { CCall, CFunction, CGuard } from '../src/cmodel/types.js';
import type { NoOptions, Rule, RuleContext } from '../src/rule/rule.js';
import type { ChangedFile, FunctionChange } from '../src/rule/model.js';

const MESSAGES = {
  mismatch:
    '{{fn}}() now calls {{release}}() on `{{object}}` when `{{tested}}` is set ({{file}}:{{line}}), but the test is of ' +
    '`{{tested}}`, {{made}}, and `{{object}}` is released already at {{file}}:{{otherLine}}: a block copied from the ' +
    'one before, with its test edited and its release not. `{{tested}}` is never released, and `{{object}}` is ' +
    'released twice. Release `{{tested}}` here.',
  // what the tested object is ({{made}} above)
  madeBy: 'which {{acquire}}() makes at {{path}}:{{acquireLine}}',
  releasedBefore: 'which this function released with {{release}}() before this commit',
  // related locations
  firstRelease: '{{release}}() releases `{{object}}` here already',
  madeHere: '{{acquire}}() makes `{{tested}}` here',
};

type Ctx = RuleContext<NoOptions, keyof typeof MESSAGES>;

const squeeze = (t: string) => t.replace(/\s+/g, '');

/** The object a bare pointer test names when it holds (`s->b`, `s->b != NULL`), or null for any other test. */
function testedObject(guard: CGuard): string | null {
  if (guard.negated || guard.condition.kind !== 'if') return null;
  const m = /^([\w>.-]+?)(?:!=NULL)?$/.exec(squeeze(guard.condition.normalized)) ?? /^NULL!=([\w>.-]+)$/.exec(squeeze(guard.condition.normalized));
  return m ? (m[1] as string) : null;
}

/** The base and field words of a chain (`cpu->pmu_timer` → `cpu`, `pmu_timer`), null for anything else. */
function split(text: string): { base: string; fields: string } | null {
  const m = /^(\w+)((?:->|\.)\w+(?:(?:->|\.)\w+)*)$/.exec(squeeze(text).replace(/^&/, ''));
  return m ? { base: m[1] as string, fields: (m[2] as string).replace(/^(->|\.)/, '') } : null;
}

interface Mismatch {
  call: CCall;
  object: string;
  tested: string;
  /** the release of the same object earlier in the function */
  first: CCall;
  made: { acquire: CCall; path: string; fn: string } | { releasedBefore: true };
}

function mismatches(ctx: Ctx, file: ChangedFile, fn: CFunction, pre: CFunction | null): Mismatch[] {
  const out: Mismatch[] = [];
  for (const call of fn.calls) {
    if (!file.added.has(call.line) || call.args.length !== 1) continue;
    const match = ctx.pairs.anyPrimitive(call.callee);
    if (match?.role !== 'release' && !ctx.pairs.hasReleaseVerb(call.callee)) continue;
    const guard = call.guards[call.guards.length - 1];
    const tested = guard ? testedObject(guard) : null;
    const object = ctx.model.fieldChain(call.args[0]) !== null ? squeeze(call.args[0] as string).replace(/^&/, '') : null;
    if (tested === null || object === null || tested === object) continue;
    const t = split(tested);
    const o = split(object);
    // two fields of one instance (`s->a` tested, `s->b` released)
    if (!t || !o || t.base !== o.base || t.fields === o.fields) continue;
    // the released object is released already, by the same call, outside this block
    const first = fn.calls.find((c) => c !== call && c.callee === call.callee && c.args.length === 1 && squeeze(c.args[0] as string) === squeeze(call.args[0] as string) && !c.guards.some((g) => g.condition === guard?.condition));
    if (!first) continue;
    // the tested object is released nowhere in the function: its block was meant to
    if (fn.calls.some((c) => c.args.some((a) => split(a)?.fields === t.fields && split(a)?.base === t.base) && (ctx.pairs.anyPrimitive(c.callee)?.role === 'release' || ctx.pairs.hasReleaseVerb(c.callee)))) continue;
    // ...and it is the kind of object the call releases: made by one of its acquires, or released so before
    const acquires = new Set(match?.role === 'release' ? match.counterparts : []);
    let made: Mismatch['made'] | null = null;
    for (const f of file.post?.functions ?? []) {
      const a = f.calls.find((c) => acquires.has(c.callee) && c.result !== undefined && split(c.result)?.fields === t.fields);
      if (a) {
        made = { acquire: a, path: file.path, fn: f.name };
        break;
      }
    }
    if (!made && pre?.calls.some((c) => c.callee === call.callee && c.args.length === 1 && split(c.args[0] as string)?.fields === t.fields)) made = { releasedBefore: true };
    if (!made) continue;
    out.push({ call, object, tested, first, made });
  }
  return out;
}

function check(ctx: Ctx, file: ChangedFile, change: FunctionChange): void {
  const fn = change.post;
  if (!fn || fn.hasErrors) return;
  for (const m of mismatches(ctx, file, fn, change.pre)) {
    const made =
      'acquire' in m.made
        ? ctx.format('madeBy', { acquire: m.made.acquire.callee, path: m.made.path, acquireLine: m.made.acquire.line })
        : ctx.format('releasedBefore', { release: m.call.callee });
    ctx.report({
      at: { file: file.path, line: m.call.line, endLine: m.call.endLine, function: fn.name },
      messageId: 'mismatch',
      data: { fn: fn.name, release: m.call.callee, object: m.object, tested: m.tested, made, file: file.path, line: m.call.line, otherLine: m.first.line },
      related: [
        { file: file.path, line: m.first.line, function: fn.name, messageId: 'firstRelease', data: { release: m.first.callee, object: m.object } },
        ...('acquire' in m.made
          ? [{ file: m.made.path, line: m.made.acquire.line, function: m.made.fn, messageId: 'madeHere' as const, data: { acquire: m.made.acquire.callee, tested: m.tested } }]
          : []),
      ],
      key: `mismatch|${fn.name}|${m.call.callee}|${m.tested}`,
      repair: { callees: [m.call.callee], functions: [fn.name] },
    });
  }
}

export const mismatchedRelease: Rule<NoOptions, keyof typeof MESSAGES> = {
  meta: {
    id: 'mismatched-release',
    messages: MESSAGES,
    category: 'pair',
    severity: 'warning',
    summary: 'A new release under a test of one field of an instance releases another field the function releases already',
    docs: {
      what:
        'The commit adds a release (a call of the pair table or of the code base\'s learned pairs, or one named for ' +
        'releasing) of one field of an instance (`s->a`) inside an `if` that tests another field of the same instance ' +
        'for being set (`if (s->b)`, `if (s->b != NULL)`), while the function releases `s->a` already with the same ' +
        'call outside that block and releases `s->b` nowhere; and `s->b` is the kind of object the call releases ' +
        '(an acquire of its pair stores it in the commit\'s file, or the function released it with that call before ' +
        'the commit).',
      why:
        'Teardown code is written by copying the block before it and editing the test: the release left unedited ' +
        'frees the first object a second time (a use after free, or a NULL dereference when the first block cleared ' +
        'it) and never frees the object the block was written for. Reviewers read the test and the new field name, ' +
        'and miss the argument.',
      fix: 'Release the object the block tests.',
      bad: [
        'static void fx_dev_unrealize(DeviceState *dev)',
        '{',
        '    FxDev *s = FX_DEV(dev);',
        '',
        '    if (s->rx_timer) {',
        '        timer_free(s->rx_timer);',
        '    }',
        '+   if (s->tx_timer) {',
        '+       timer_free(s->rx_timer);',
        '+   }',
        '}',
      ].join('\n'),
      good: ['+   if (s->tx_timer) {', '+       timer_free(s->tx_timer);', '+   }'].join('\n'),
    },
  },
  create(context) {
    return {
      changedFunction(file, change) {
        if (file.post) check(context, file, change);
      },
    };
  },
};
