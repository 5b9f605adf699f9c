/**
 * Ownership of what a function keeps in its own variables (ownership.ts
 * handedOverBefore, and the cmodel's resultLocal): read from real parses of
 * our own snippets.
 */
import { describe, expect, it } from 'vitest';
import { filledHeapVariable, handedOverBefore } from '../../src/model/ownership.js';
import { PairTable, builtinPairData } from '../../src/pairs/table.js';
import { callTo, fn, modelOf } from '../cmodel/helpers.js';

const table = new PairTable(builtinPairData());
const isListInsert = (n: string) => table.isListInsert(n);

const SNIPPET = `
static int fx_res_create(FxGpu *g, uint32_t id)
{
    FxRes *res;
    FxRes *keep;

    res = g_new0(FxRes, 1);
    res->id = id;
    fx_res_init_backing(res);
    QTAILQ_INSERT_HEAD(&g->reslist, res, next);
    return 0;
}

static int fx_res_store(FxGpu *g)
{
    FxRes *res = g_new0(FxRes, 1);
    FxRes *other;

    fx_res_init_backing(res);
    g->cur = res;
    return 0;
}

static int fx_res_copy(FxGpu *g)
{
    FxRes *res = g_malloc0(sizeof(*res));
    FxRes *other;

    other = res;
    return 0;
}

static int fx_msg_send(FxProxy *proxy)
{
    FxMsg *msgp = g_malloc0(sizeof(*msgp));

    fx_pixman_set_destroy_function(msgp, NULL);
    fx_proxy_send_async(proxy, &msgp->hdr);
    return 0;
}

static int fx_field_alloc(FxGpu *g)
{
    g->buf = g_malloc0(16);
    return 0;
}

static int fx_read_devt(const char *path, Error **errp)
{
    gchar *contents;
    gsize length;
    int major;

    if (!g_file_get_contents(path, &contents, &length, NULL)) {
        return -1;
    }
    fx_parse(contents, &major);
    g_free(contents);
    return major;
}

static int fx_read_twice(const char *path)
{
    char *text;

    fx_read_text(path, &text);
    text = g_strdup("x");
    g_free(text);
    return 0;
}
`;

describe('resultLocal', () => {
  it('marks a value stored in a variable the function declares, not one stored in a field', async () => {
    const model = await modelOf(SNIPPET);
    expect(callTo(fn(model, 'fx_res_create'), 'g_new0').resultLocal).toBe(true);
    expect(callTo(fn(model, 'fx_res_store'), 'g_new0').resultLocal).toBe(true);
    expect(callTo(fn(model, 'fx_field_alloc'), 'g_malloc0').resultLocal).toBeUndefined();
  });
});

describe('handedOverBefore', () => {
  it('is true after a list insert takes the value, not before it, and not for a call that only uses it', async () => {
    const model = await modelOf(SNIPPET);
    const f = fn(model, 'fx_res_create');
    const alloc = callTo(f, 'g_new0');
    const insert = callTo(f, 'QTAILQ_INSERT_HEAD');
    expect(handedOverBefore(isListInsert, f, alloc, insert.line)).toBe(false);
    expect(handedOverBefore(isListInsert, f, alloc, insert.line + 1)).toBe(true);
  });
  it('is true once the value is stored in a field or copied to another variable', async () => {
    const model = await modelOf(SNIPPET);
    const store = fn(model, 'fx_res_store');
    expect(handedOverBefore(isListInsert, store, callTo(store, 'g_new0'), store.endLine)).toBe(true);
    const copy = fn(model, 'fx_res_copy');
    expect(handedOverBefore(isListInsert, copy, callTo(copy, 'g_malloc0'), copy.endLine)).toBe(true);
  });
  it('counts a call that takes it over through a member address (an async send), not one that only configures it', async () => {
    const model = await modelOf(SNIPPET);
    const f = fn(model, 'fx_msg_send');
    const alloc = callTo(f, 'g_malloc0');
    const send = callTo(f, 'fx_proxy_send_async');
    expect(handedOverBefore(isListInsert, f, alloc, send.line)).toBe(false);
    expect(handedOverBefore(isListInsert, f, alloc, send.line + 1)).toBe(true);
  });
});

describe('filledHeapVariable', () => {
  const isHeapRelease = (n: string) => table.isHeapRelease(n);
  it('is the variable whose address a call is handed and the function frees later, with its frees', async () => {
    const model = await modelOf(SNIPPET);
    const f = fn(model, 'fx_read_devt');
    expect(filledHeapVariable(isHeapRelease, f, callTo(f, 'g_file_get_contents'))).toMatchObject({ variable: 'contents', frees: [{ callee: 'g_free' }] });
    // `&major` is handed to a call too, but nothing frees it
    expect(filledHeapVariable(isHeapRelease, f, callTo(f, 'fx_parse'))).toBeNull();
  });
  it('is null when the variable gets another value before the free (that value is what is freed)', async () => {
    const model = await modelOf(SNIPPET);
    const f = fn(model, 'fx_read_twice');
    expect(filledHeapVariable(isHeapRelease, f, callTo(f, 'fx_read_text'))).toBeNull();
  });
  it('knows the heap releases from the table: g_free, not a release of something else', () => {
    expect(table.isHeapRelease('g_free')).toBe(true);
    expect(table.isHeapRelease('memory_region_unref')).toBe(false);
  });
});
