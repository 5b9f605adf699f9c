/**
 * What prepareSource blanks so that tree-sitter-c reads QEMU code without
 * parse errors (an edited item with an error is modelled from a parse of the
 * whole file from scratch, image.ts): type arguments, two-argument type
 * macros, conditionals inside an expression or an initializer. Real parses
 * of our own snippets; the model's texts still come from the original text.
 */
import { describe, expect, it } from 'vitest';
import { getParser, initCParser } from '../../src/cmodel/loader.js';
import { prepareSource } from '../../src/cmodel/prepare.js';
import { callTo, fn, modelOf } from './helpers.js';

async function parsesClean(text: string): Promise<boolean> {
  await initCParser();
  const prepared = prepareSource(text).text;
  expect(prepared.length).toBe(text.length);
  expect(prepared.split('\n').length).toBe(text.split('\n').length);
  const tree = getParser().parse(prepared);
  try {
    return tree !== null && !tree.rootNode.hasError;
  } finally {
    tree?.delete();
  }
}

const TYPES = `
static void fx_probe(FxDev *d, FxHdr *hdr, int n)
{
    struct fx_cap *cap = container_of(hdr, struct fx_cap, header);
    d->info = g_new0(struct fx_info, 1);
    d->regions = g_new0(FxRegion *, n);
    d->names = g_renew(FxName *, d->names, n);
    fx_use(cap, (struct fx_cap *)hdr);
}
`;

describe('prepareSource', () => {
  it('blanks the keyword and the stars of a type passed as an argument, and the model keeps the text', async () => {
    expect(await parsesClean(TYPES)).toBe(true);
    const f = fn(await modelOf(TYPES), 'fx_probe');
    expect(callTo(f, 'container_of').args).toEqual(['hdr', 'struct fx_cap', 'header']);
    expect(callTo(f, 'g_new0').args).toEqual(['struct fx_info', '1']);
    expect(callTo(f, 'fx_use').args).toEqual(['cap', '(struct fx_cap *)hdr']);
  });

  it('leaves a cast alone', () => {
    const text = 'static void f(void *p)\n{\n    g((struct fx *)p, (Fx *)p);\n}\n';
    expect(prepareSource(text).text).toBe(text);
  });

  it('reads a two-argument type macro in a declaration as one type', async () => {
    const text = [
      'typedef QTAILQ_HEAD(FxList, Fx) FxList;',
      'static QLIST_HEAD(, FxSpace) fx_spaces = QLIST_HEAD_INITIALIZER(fx_spaces);',
      'struct FxState {',
      '    QLIST_HEAD(, FxGroup) groups;',
      '    QTAILQ_ENTRY(FxState) next;',
      '};',
      '',
    ].join('\n');
    expect(await parsesClean(text)).toBe(true);
  });

  it('blanks conditionals inside an expression and inside an initializer, not between statements', async () => {
    const text = [
      'static const Property fx_props[] = {',
      '    DEFINE_PROP_STRING("sysfsdev", FxDev, sysfsdev),',
      '#ifdef CONFIG_FX_BACKEND',
      '    DEFINE_PROP_LINK("backend", FxDev, backend, TYPE_FX_BACKEND, FxBackend *),',
      '#endif',
      '};',
      '',
      'static void fx_hint(Error **errp)',
      '{',
      '    error_append_hint(errp, "use -device fx,host=X "',
      '#ifdef CONFIG_FX_BACKEND',
      '                      "or -device fx,fd=N "',
      '#endif',
      '                      "\\n");',
      '#ifdef CONFIG_FX_BACKEND',
      '    fx_backend_hint(errp);',
      '#endif',
      '}',
      '',
    ].join('\n');
    expect(await parsesClean(text)).toBe(true);
    const prepared = prepareSource(text).text.split('\n');
    expect(prepared[2]?.trim()).toBe('');
    expect(prepared[10]?.trim()).toBe('');
    // between statements tree-sitter reads the directive itself
    expect(prepared[14]).toBe('#ifdef CONFIG_FX_BACKEND');
  });

  it('blanks QEMU_UNINITIALIZED before a local, so a function with a buffer left out of auto-init is modelled, not a parse error', async () => {
    const text = `
static void fx_pump(FxState *s)
{
    QEMU_UNINITIALIZED uint8_t buf[4096];

    fx_transaction_begin(s->timer);
    fx_read(s, buf, sizeof(buf));
    fx_transaction_commit(s->timer);
}
`;
    expect(await parsesClean(text)).toBe(true);
    const f = fn(await modelOf(text), 'fx_pump');
    expect(f.hasErrors).toBe(false);
    expect(callTo(f, 'fx_transaction_commit').args).toEqual(['s->timer']);
  });

  it('blanks the end of a GNU case range, so a register handler with one is modelled, not a parse error', async () => {
    const text = [
      'static void fx_write(void *opaque, hwaddr offset, uint64_t value, unsigned size)',
      '{',
      '    FxState *s = opaque;',
      '',
      '    switch (offset) {',
      '    case FX_CTRL:',
      '        ptimer_transaction_begin(s->timer);',
      '        ptimer_set_limit(s->timer, value, 1);',
      '        ptimer_transaction_commit(s->timer);',
      '        break;',
      '    case FX_BASE ... FX_BASE_END:',
      '        s->regs[offset >> 2] = value;',
      '        break;',
      "    case 'a' ... 'z':",
      '        break;',
      '    }',
      '}',
      '',
    ].join('\n');
    expect(await parsesClean(text)).toBe(true);
    const prepared = prepareSource(text).text.split('\n');
    expect(prepared[10]).toMatch(/^ {4}case FX_BASE +:$/);
    expect(prepared[13]).toMatch(/^ {4}case 'a' +:$/);
    const f = fn(await modelOf(text), 'fx_write');
    expect(f.hasErrors).toBe(false);
    expect(callTo(f, 'ptimer_transaction_commit').guards[0]?.caseValues).toEqual(['FX_CTRL']);
  });

  it('blanks the #if and #endif around an else that runs on past the #endif, so the function is modelled', async () => {
    const text = [
      'static void fx_realize(FxDevice *s, Error **errp)',
      '{',
      '    FxHandle *h;',
      '',
      '#if FX_API_VERSION >= 0x0107 && !defined(CONFIG_WIN32)',
      '    if (s->path) {',
      '        fx_open_path(s, s->path);',
      '    } else',
      '#endif',
      '    if (s->bus) {',
      '        h = fx_find_ref(s->bus);',
      '        fx_open(s, h);',
      '        fx_unref_handle(h);',
      '    }',
      '#ifdef CONFIG_FX_TRACE',
      '    if (s->trace) {',
      '        fx_trace_on(s);',
      '    } else',
      '#else',
      '    {',
      '#endif',
      '        fx_trace_off(s);',
      '    }',
      '}',
      '',
    ].join('\n');
    const prepared = prepareSource(text).text.split('\n');
    expect(prepared[4]?.trim()).toBe('');
    expect(prepared[8]?.trim()).toBe('');
    // a block with an #else keeps its directives: blanking them would keep both sets of code
    expect(prepared[14]).toBe('#ifdef CONFIG_FX_TRACE');
    expect(prepared[20]).toBe('#endif');
    const f = fn(await modelOf(text.replace(/#ifdef CONFIG_FX_TRACE[\s\S]*?\n    \}\n/, '')), 'fx_realize');
    expect(f.hasErrors).toBe(false);
    expect(callTo(f, 'fx_find_ref').guards.map((g) => [g.condition.normalized, g.negated])).toEqual([
      ['s->path', true],
      ['s->bus', false],
    ]);
  });
});
