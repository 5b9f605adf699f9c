/** Which exits are failures (skips.ts isErrorExit), read from real parses of our own snippets. */
import { describe, expect, it } from 'vitest';
import { isErrorExit } from '../../src/model/skips.js';
import { fn, modelOf } from '../cmodel/helpers.js';

const SNIPPET = `
static void fx_realize(FxDev *s, Error **errp)
{
    if (!s->started) {
        return;
    }
    s->chan = fx_channel_new(s->fd, errp);
    if (!s->chan) {
        return;
    }
    s->chan = s->spare;
    if (!s->chan) {
        return;
    }
    if (s->max > 64) {
        error_set(errp, ERROR_CLASS_GENERIC_ERROR, "too large");
        return;
    }
}
`;

describe('isErrorExit', () => {
  it('a NULL test of what a call just produced is that call\'s failure; a NULL test of state is not', async () => {
    const f = fn(await modelOf(SNIPPET), 'fx_realize');
    const verdicts = f.exits.map((e) => isErrorExit(f, e, e.guards[e.guards.length - 1]!));
    // !s->started: state; !s->chan after fx_channel_new(): failure; !s->chan after a plain store: state; error_set(): failure
    expect(verdicts).toEqual([false, true, false, true]);
  });
});

const ATTACH = `
static int fx_attach_any(FxDev *s, FxSpace *space, Error **errp)
{
    Error *err = NULL;

    QLIST_FOREACH(c, &space->containers, next) {
        if (fx_attach_container(s, c, &err)) {
            error_free(err);
            err = NULL;
        } else {
            if (fx_discard_disable(true)) {
                error_setg(errp, "cannot disable discarding");
                goto fail;
            }
            goto found;
        }
    }
    if (fx_attach_new(s, errp)) {
        goto fail;
    }
    return 0;
found:
    return 1;
fail:
    return -1;
}
`;

describe('isErrorExit, a test of a call handed an error', () => {
  it('is that call\'s failure, but not in the other branch when the branch that holds frees or reports the error', async () => {
    const f = fn(await modelOf(ATTACH), 'fx_attach_any');
    const gotos = f.exits.filter((e) => e.kind === 'goto');
    // (the error reported in a nested test that leaves on its own says nothing of the jump after it)
    expect(gotos.map((e) => [e.label, isErrorExit(f, e, e.guards[e.guards.length - 1]!)])).toEqual([
      ['fail', true],
      ['found', false],
      ['fail', true],
    ]);
  });
});

const REPORTERS = `
static void fx_handle(FxDev *s, FxQueue *q)
{
    if (s->broken) {
        fx_error(s, "fx: queue %d is broken", q->index);
        return;
    }
    if (s->stopped) {
        g_clear_error(&s->last_err);
        return;
    }
    if (q->pending) {
        fx_get_last_error(s);
        return;
    }
    if (q->size > 64) {
        fx_chan_set_error(s->chan, -EINVAL);
        return;
    }
}
`;

describe('error calls by name', () => {
  it('a one-word reporter named for errors (fx_error) and *_set_error report a failure; g_clear_error and a getter do not', async () => {
    const f = fn(await modelOf(REPORTERS), 'fx_handle');
    const verdicts = f.exits.map((e) => isErrorExit(f, e, e.guards[e.guards.length - 1]!));
    expect(verdicts).toEqual([true, false, false, true]);
  });
});

const WARN = `
static void fx_register_notifier(FxState *s, FxNotifier *n)
{
    if (!s->dev_iotlb) {
        warn_report_once("no device IOTLB");
        return;
    }
    if (!s->enabled) {
        error_report("not enabled");
        return;
    }
    if (!s->ready) {
        warn_report("not ready");
        return -1;
    }
    fx_notifier_register(s, n);
}
`;

describe('isErrorExit and warnings', () => {
  it('a warning before a bare return is a skip; an error report, or a warning before a failure value, is a failure', async () => {
    const f = fn(await modelOf(WARN), 'fx_register_notifier');
    const verdicts = f.exits.map((e) => isErrorExit(f, e, e.guards[e.guards.length - 1]!));
    expect(verdicts).toEqual([false, true, true]);
  });
});

const ERROR_ARG_ANYWHERE = `
static bool fx_child_setup(FxDev *s, Error **errp, va_list props)
{
    if (!fx_set_props(s, errp, props)) {
        goto out;
    }
    if (!fx_link(s, &local_err, s->name)) {
        goto out;
    }
    if (!fx_lookup(s, s->name)) {
        goto out;
    }
    return true;
out:
    return false;
}
`;

describe('isErrorExit, the error argument in any place', () => {
  it('a test of a call handed errp or &err among its other arguments is that call\'s failure; a call handed none is not', async () => {
    const f = fn(await modelOf(ERROR_ARG_ANYWHERE), 'fx_child_setup');
    const verdicts = f.exits.filter((e) => e.kind === 'goto').map((e) => isErrorExit(f, e, e.guards[e.guards.length - 1]!));
    expect(verdicts).toEqual([true, true, false]);
  });
});
