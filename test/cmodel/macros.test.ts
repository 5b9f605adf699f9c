import { describe, expect, it } from 'vitest';
import { callTo, fixtureModel, fn, guardTexts, lineOf, modelOf } from './helpers.js';
import { prepareSource } from '../../src/cmodel/prepare.js';

describe('QEMU macro shapes', () => {
  it('FOREACH bodies are loop bodies: calls found, inLoop, guards kept', async () => {
    const { text, model } = await fixtureModel('macros.c');
    const f = fn(model, 'toy_foreach_shapes');
    expect(f.hasErrors).toBe(false);
    // the macro itself is reported as a call, outside the loop
    const head = callTo(f, 'QTAILQ_FOREACH_SAFE');
    expect(head.args).toEqual(['d', '&s->devs', 'next', 'next_d']);
    expect(head.inLoop).toBe(false);
    expect(callTo(f, 'toy_dev_check').inLoop).toBe(true);
    expect(callTo(f, 'toy_dev_kick').inLoop).toBe(true);
    const cont = f.exits.find((e) => e.kind === 'continue');
    expect(cont?.inLoop).toBe(true);
    // FOREACH without braces: the next statement is the body
    const max = callTo(f, 'MAX');
    expect(max.inLoop).toBe(true);
    expect(max.line).toBe(lineOf(text, 'last = MAX(last'));
    // FOREACH right after a case label
    const full = callTo(f, 'toy_cpu_full_reset');
    expect(full.inLoop).toBe(true);
    expect(full.guards[0]?.caseValues).toEqual(['TOY_RESET_FULL']);
    // FOREACH as the body of an if without braces
    const dump = callTo(f, 'toy_dump_block');
    expect(dump.inLoop).toBe(true);
    expect(guardTexts(dump.guards)).toEqual(['+s->verbose']);
    // WITH_*_GUARD bodies run once: not a loop
    expect(callTo(f, 'toy_locked_update').inLoop).toBe(false);
    expect(f.statements.some((s) => s.normalized === 'QLIST_FOREACH(block, &s->blocks, next)')).toBe(true);
  });

  it('FOREACH nested in WITH_RCU_READ_LOCK_GUARD and guarded calls inside', async () => {
    const { model } = await fixtureModel('listener.c');
    const sync = fn(model, 'vfio_toy_log_sync');
    const q = callTo(sync, 'vfio_toy_query_dirty');
    expect(q.inLoop).toBe(true);
    expect(guardTexts(q.guards)).toEqual(['+vbasedev->dirty_tracking']);
    expect(callTo(sync, 'WITH_RCU_READ_LOCK_GUARD').args).toEqual([]);
    expect(sync.hasErrors).toBe(false);
  });

  it('type arguments, attribute macros, g_autofree/g_autoptr, ERRP_GUARD parse without errors', async () => {
    const { model } = await fixtureModel('macros.c');
    const f = fn(model, 'toy_foreach_shapes');
    expect(callTo(f, 'container_of').args).toEqual(['s->obj', 'ToyParent', 'obj']);
    expect(callTo(f, 'g_new0').args).toEqual(['struct ToyItem', 's->nr']);
    expect(callTo(f, 'g_renew').args).toEqual(['CPUState *', 's->ptrs', 's->nr + 1']);
    expect(callTo(f, 'toy_trace').args[0]).toBe('"last 0x%"PRIx64" of %"HWADDR_PRIx');
    const co = fn(model, 'toy_co_flush');
    expect(co.hasErrors).toBe(false);
    expect(co.statements.map((s) => s.normalized)).toEqual([
      'g_autofree char *path = NULL;',
      'ERRP_GUARD();',
      'return bdrv_co_flush(bs->file->bs);',
    ]);
    expect(callTo(co, 'ERRP_GUARD').args).toEqual([]);
  });

  it('file-scope macro invocations do not swallow the next definition', async () => {
    const model = await modelOf(
      [
        '#define toy_handle_req(__req) static int toy_handle_ ## __req(void) { return 0; }',
        'toy_handle_req(attach)',
        'toy_handle_req(detach)',
        '',
        'static int toy_handle_probe(ToyState *s)',
        '{',
        '    return probe(s);',
        '}',
        '',
        'type_init(toy_register_types)',
      ].join('\n'),
    );
    expect(model.functions.map((f) => [f.name, f.startLine, f.hasErrors])).toEqual([['toy_handle_probe', 5, false]]);
    expect(model.errorLines).toEqual([]);
  });

  it('prepareSource keeps every offset and line', () => {
    const text = 'static int coroutine_fn f(void)\n{\n    QLIST_FOREACH(x, &l, next) {\n    }\n    WITH_RCU_READ_LOCK_GUARD() {\n    }\n}\ntype_init(x)\n';
    const prepared = prepareSource(text);
    expect(prepared.text).toHaveLength(text.length);
    expect(prepared.text.split('\n').length).toBe(text.split('\n').length);
    expect(prepared.text).toContain('while        (x, &l, next) {');
    expect(prepared.text).toMatch(/\n {4}while +\(1\) \{\n/);
    expect(prepared.text).not.toContain('coroutine_fn');
    expect(prepared.text).not.toContain('type_init');
    expect([...prepared.blockMacros.values()].map((m) => [m.name, m.kind])).toEqual([
      ['QLIST_FOREACH', 'loop'],
      ['WITH_RCU_READ_LOCK_GUARD', 'scope'],
    ]);
    // statement macros and function headers are left alone
    const calls = 'void f(void)\n{\n    QLIST_INSERT_HEAD(&l, x, next);\n    QLIST_FOREACH_X(a) ;\n}\nstatic void\ntoy_foreach(int a)\n{\n}\n';
    expect(prepareSource(calls).text).toBe(calls);
  });
});

describe('block macros tree-sitter leaves as a call missing its semicolon', () => {
  it('a FOREACH after else on the same line, and an unknown block macro', async () => {
    const model = await modelOf(
      [
        'void f(S *s)',
        '{',
        '    if (s->one) {',
        '        one(s);',
        '    } else QLIST_FOREACH(x, &s->l, next) {',
        '        many(x);',
        '        break;',
        '    }',
        '    TOY_BLOCK(s) {',
        '        inside(s);',
        '    }',
        '    after(s);',
        '}',
      ].join('\n'),
    );
    const f = fn(model, 'f');
    expect(f.hasErrors).toBe(false);
    const many = callTo(f, 'many');
    expect(many.inLoop).toBe(true);
    expect(guardTexts(many.guards)).toEqual(['!s->one']);
    expect(f.exits[0]?.inLoop).toBe(true);
    expect(callTo(f, 'inside').inLoop).toBe(false);
    expect(callTo(f, 'TOY_BLOCK').line).toBe(9);
    expect(callTo(f, 'after').guards).toEqual([]);
  });
});
