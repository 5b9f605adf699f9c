/**
 * Incremental modelling (ParsedImage.next) must give exactly the model a
 * parse from scratch gives. fast-check makes chains of line edits to our
 * fixtures (deleting and inserting lines from a pool of C shapes: whole
 * functions, braces, block macros, #ifdef, multi-byte text, a last line
 * without a newline) and compares every step with buildFileModel; some steps
 * pass wrong or missing edit hints, which must cost time, never correctness.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFileModel, initCParser, ParsedImage, type LineEdit } from '../../src/cmodel/parse.js';
import type { CFileModel, CFunction } from '../../src/cmodel/types.js';
import { walkedFunction } from '../../src/cmodel/shift.js';
import { Program } from '../../src/model/program.js';
import { fixtureText } from './helpers.js';
import { fixture } from '../support/fixtures.js';

beforeAll(() => initCParser());

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const POOL = [
  '',
  '}',
  '{',
  '    vfio_container_dma_unmap(bcontainer, iova, int128_get64(llsize), NULL);',
  '    if (memory_region_is_ram_device(section->mr)) {',
  '        return;',
  '    }',
  '    QLIST_FOREACH(giommu, &bcontainer->giommu_list, giommu_next) {',
  '    memory_region_ref(section->mr);',
  'static void extra_region_add(MemoryListener *listener, MemoryRegionSection *section)',
  '{',
  '    /* a comment with é and → in it */',
  '#ifdef CONFIG_KVM',
  '#endif',
  'static const MemoryListener extra_listener = {',
  '    .region_add = extra_region_add,',
  '};',
  'static int broken(int x {',
  '    goto fail;',
  'fail:',
  '    g_autofree char *name = NULL;',
];

interface Step {
  /** replacements on the old lines: at line index `at`, delete `remove` lines and insert `insert` */
  ops: { at: number; remove: number; insert: number[] }[];
  hint: 'exact' | 'none' | 'shifted';
  dropFinalNewline: boolean;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  ops: fc.array(
    fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 6 }),
      insert: fc.array(fc.nat({ max: POOL.length - 1 }), { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  hint: fc.constantFrom<Step['hint']>('exact', 'exact', 'exact', 'none', 'shifted'),
  dropFinalNewline: fc.boolean(),
});

/** Apply a step to lines; the line edits that describe it exactly. */
function applyStep(lines: string[], step: Step): { lines: string[]; edits: LineEdit[] } {
  const n = lines.length;
  // non-overlapping ops, in order of position
  const ops = step.ops
    .map((o) => ({ ...o, at: n === 0 ? 0 : o.at % (n + 1) }))
    .sort((a, b) => a.at - b.at);
  const out: string[] = [];
  const edits: LineEdit[] = [];
  let cursor = 0;
  for (const op of ops) {
    if (op.at < cursor) continue;
    out.push(...lines.slice(cursor, op.at));
    const remove = Math.min(op.remove, n - op.at);
    const newStart = out.length + 1;
    out.push(...op.insert.map((i) => POOL[i] as string));
    edits.push({ oldStart: op.at + 1, oldEnd: op.at + 1 + remove, newStart, newEnd: out.length + 1 });
    cursor = op.at + remove;
  }
  out.push(...lines.slice(cursor));
  return { lines: out, edits };
}

function plain(model: CFileModel) {
  return { functions: model.functions, initializers: model.initializers, hasErrors: model.hasErrors, errorLines: model.errorLines };
}

function hintFor(step: Step, edits: LineEdit[]): LineEdit[] {
  if (step.hint === 'none') return [];
  if (step.hint === 'shifted') return edits.map((e) => ({ oldStart: e.oldStart + 2, oldEnd: e.oldEnd + 2, newStart: e.newStart + 1, newEnd: e.newEnd + 1 }));
  return edits;
}

function checkChain(name: string, start: string, steps: Step[]): void {
  let image = ParsedImage.parse(name, start);
  let lines = start.split('\n');
  try {
    for (const step of steps) {
      const next = applyStep(lines, step);
      lines = next.lines;
      let text = lines.join('\n');
      if (step.dropFinalNewline && text.endsWith('\n')) text = text.slice(0, -1);
      image = image.next(name, text, hintFor(step, next.edits));
      expect(plain(image.model)).toEqual(plain(buildFileModel(name, text)));
      lines = text.split('\n');
    }
  } finally {
    image.dispose();
  }
}

describe('incremental modelling equals modelling from scratch', () => {
  const sources: [string, () => string][] = [
    ['listener.c (cmodel)', () => fixtureText('listener.c')],
    ['macros.c', () => fixtureText('macros.c')],
    ['unbalanced.c', () => fixtureText('unbalanced.c')],
    ['listener.c (rules)', () => fixture('rules/listener.c')],
  ];
  for (const [label, read] of sources) {
    it(`${label}: chains of random line edits`, () => {
      const text = read();
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 6 }), (steps) => checkChain(label, text, steps)),
        { numRuns: RUNS },
      );
    }, 60_000);
  }

  it('reuses the models of items no edit touched, moved to their new lines', () => {
    const text = fixtureText('listener.c');
    const first = ParsedImage.parse('l.c', text);
    const lines = text.split('\n');
    const before = first.model.functions;
    const last = before[before.length - 1];
    const firstFn = before[0];
    if (!last || !firstFn || before.length < 3) throw new Error('fixture needs three functions');
    // two lines inserted inside the first function's body
    const at = firstFn.bodyStartLine; // 1-based line of `{`: insert after it
    const edited = [...lines.slice(0, at), '    int extra1 = 0;', '    int extra2 = 0;', ...lines.slice(at)].join('\n');
    const second = first.next('l.c', edited, [{ oldStart: at + 1, oldEnd: at + 1, newStart: at + 1, newEnd: at + 3 }]);
    try {
      const after = second.model.functions;
      expect(after.length).toBe(before.length);
      const moved = after[after.length - 1];
      expect(moved?.name).toBe(last.name);
      expect(moved?.startLine).toBe(last.startLine + 2);
      expect(moved?.calls.map((c) => c.line)).toEqual(last.calls.map((c) => c.line + 2));
      expect(plain(second.model)).toEqual(plain(buildFileModel('l.c', edited)));
      // the image it was made from gave up its tree; asking it again parses from scratch
      expect(first.hasTree).toBe(false);
      expect(second.hasTree).toBe(true);
    } finally {
      second.dispose();
    }
  });

  /** Lines of a file with `count` small functions, each calling a helper of its own. */
  function functionsText(count: number, prefix: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      out.push(`static void ${prefix}_${i}(FxState *s)`, '{', `    fx_helper_${i}(s->obj);`, '}', '');
    }
    return out;
  }

  it('opens a header guard: an edit inside it walks the item it touches, not the whole guard', () => {
    const lines = ['#ifndef FX_STATE_H', '#define FX_STATE_H', '', ...functionsText(6, 'fx_inline'), '#endif'];
    const text = lines.join('\n') + '\n';
    const first = ParsedImage.parse('fx.h', text);
    const before = first.model.functions;
    expect(before.map((f) => f.name)).toContain('fx_inline_5');
    // one line inserted in the body of the first function (after its `{`)
    const at = (before[0] as CFunction).bodyStartLine;
    const edited = [...lines.slice(0, at), '    fx_extra(s);', ...lines.slice(at)].join('\n') + '\n';
    const second = first.next('fx.h', edited, [{ oldStart: at + 1, oldEnd: at + 1, newStart: at + 1, newEnd: at + 2 }]);
    try {
      const after = second.model.functions;
      expect(plain(second.model)).toEqual(plain(buildFileModel('fx.h', edited)));
      expect(after[0]?.calls.map((c) => c.callee)).toEqual(['fx_extra', 'fx_helper_0']);
      // the functions below keep their models (moved one line), not copies walked again
      expect(after[5]?.startLine).toBe((before[5] as CFunction).startLine + 1);
      expect(Program.calls(after[5] as CFunction, 'fx_helper_5')).toBe(true);
      expect(walkedFunction(after[5] as CFunction)).toBe(walkedFunction(before[5] as CFunction));
    } finally {
      second.dispose();
    }
  });

  it('an edit to an item with a parse error parses from scratch, and keeps the models of the items it did not touch', () => {
    const lines = [...functionsText(5, 'fx_clean'), 'static int fx_broken(int x {', '    return fx_probe(x);', '}', ''];
    const text = lines.join('\n');
    const first = ParsedImage.parse('fx.c', text);
    const before = first.model.functions;
    expect(first.model.hasErrors).toBe(true);
    // the broken function's body gains a call: an edit to an item with an error
    const at = lines.indexOf('    return fx_probe(x);');
    const edited = [...lines.slice(0, at), '    fx_extra(x);', ...lines.slice(at)].join('\n');
    const second = first.next('fx.c', edited, [{ oldStart: at + 1, oldEnd: at + 1, newStart: at + 1, newEnd: at + 2 }]);
    try {
      expect(plain(second.model)).toEqual(plain(buildFileModel('fx.c', edited)));
      const kept = second.model.functionByName('fx_clean_4');
      expect(kept).not.toBeNull();
      // above the edit, nothing moved: the very same function object
      expect(kept).toBe(first.model.functionByName('fx_clean_4'));
      expect(second.hasTree).toBe(true);
    } finally {
      second.dispose();
    }
  });
});
