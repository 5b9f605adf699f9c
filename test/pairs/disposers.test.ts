import { describe, expect, it } from 'vitest';
import { disposedParameters } from '../../src/pairs/learn/evidence.js';
import { LearnedPairs } from '../../src/pairs/learn/learned.js';
import { fn, modelOf } from '../cmodel/helpers.js';

const never = () => false;

const TEXT = `
void fx_buffer_reset(FxBuffer *b)
{
    g_free(b->data);
    b->data = NULL;
    b->size = 0;
}
bool fx_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = fx_realize(dev, bus, errp);
    fx_object_unref(OBJECT(dev));
    return ok;
}
void fx_buffer_maybe_reset(FxBuffer *b, bool force)
{
    if (force) {
        g_free(b->data);
    }
}
void fx_buffer_drop_later(FxBuffer *b, FxQueue *q)
{
    if (fx_queue_busy(q)) {
        return;
    }
    g_free(b->data);
}
void fx_buffer_safe_reset(FxBuffer *b)
{
    if (!b) {
        return;
    }
    g_free(b->data);
}
`;

describe('functions that release what they are handed (disposers)', () => {
  it('are read from the body: a release at its own level on the parameter or a field of it', async () => {
    const m = await modelOf(TEXT);
    expect(disposedParameters(fn(m, 'fx_buffer_reset'))).toEqual([0]);
    expect(disposedParameters(fn(m, 'fx_realize_and_unref'))).toEqual([0]);
    expect(disposedParameters(fn(m, 'fx_buffer_safe_reset'))).toEqual([0]);
  });

  it('are not functions that release only under a test of something else, or after an exit on one', async () => {
    const m = await modelOf(TEXT);
    expect(disposedParameters(fn(m, 'fx_buffer_maybe_reset'))).toEqual([]);
    expect(disposedParameters(fn(m, 'fx_buffer_drop_later'))).toEqual([]);
  });

  it('are known to the learned table by name and argument position', async () => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(TEXT, 'util/fx.c'), new Set());
    expect(learned.releasesArgument('fx_buffer_reset', 0)).toBe(true);
    expect(learned.releasesArgument('fx_buffer_reset', 1)).toBe(false);
    expect(learned.releasesArgument('fx_buffer_maybe_reset', 0)).toBe(false);
  });
});
