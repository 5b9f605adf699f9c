import { describe, expect, it } from 'vitest';
import { isHandlerSetter } from '../../src/cmodel/handlers.js';
import { callSource, displayCallee, displayToggles, flippedToggle, toggleOf } from '../../src/cmodel/toggles.js';
import { LearnedPairs } from '../../src/pairs/learn/learned.js';
import { fn, modelOf } from './helpers.js';

const never = () => false;
const callees = (text: string, name: string) => modelOf(text).then((m) => fn(m, name).calls.map((c) => c.callee));

describe('handler switches', () => {
  it('are setters named for callbacks, not adders or plain setters', () => {
    expect(isHandlerSetter('fx_set_fd_handler')).toBe(true);
    expect(isHandlerSetter('fx_chr_set_handlers')).toBe(true);
    expect(isHandlerSetter('fx_ctx_set_event_notifier')).toBe(true);
    expect(isHandlerSetter('fx_add_change_handler')).toBe(false);
    expect(isHandlerSetter('fx_set_irq')).toBe(false);
    expect(isHandlerSetter('FX_SET_HANDLER')).toBe(false);
  });

  it('name an install by a function of the file and a clear by NULL in its place apart', async () => {
    const text = `
static void fx_read(void *opaque) { }
static void fx_start(FxState *s)
{
    fx_set_fd_handler(s->fd, fx_read, NULL, s);
    fx_chr_set_handlers(&s->chr, NULL, fx_read, NULL, s, true);
}
static void fx_stop(FxState *s)
{
    fx_set_fd_handler(s->fd, NULL, NULL, NULL);
    fx_chr_set_handlers(&s->chr, NULL, NULL, NULL, NULL, true);
}
`;
    expect(await callees(text, 'fx_start')).toEqual(['fx_set_fd_handler__fn_4', 'fx_chr_set_handlers__fn_6']);
    expect(await callees(text, 'fx_stop')).toEqual(['fx_set_fd_handler__null_4', 'fx_chr_set_handlers__null_6']);
  });

  it('read a clear that keeps its opaque by the install it undoes, and leave a call that says neither alone', async () => {
    const text = `
static void fx_setup(FxState *s, IOHandler *cb)
{
    fx_set_fd_handler(s->fd, cb, NULL, s);
    if (fx_fail(s)) {
        fx_set_fd_handler(s->fd, NULL, NULL, s);
    }
}
static void fx_other(FxState *s, IOHandler *cb)
{
    fx_set_fd_handler(s->efd, NULL, cb, s);
}
`;
    expect(await callees(text, 'fx_setup')).toEqual(['fx_set_fd_handler__fn_4', 'fx_fail', 'fx_set_fd_handler__null_4']);
    expect(await callees(text, 'fx_other')).toEqual(['fx_set_fd_handler']);
  });

  it('read back as the call was written, and flip to the other side', () => {
    expect(toggleOf('fx_set_fd_handler__null_4')).toEqual({ kind: 'handler', base: 'fx_set_fd_handler', on: false, index: -1, arity: 4 });
    expect(flippedToggle('fx_set_fd_handler__fn_4')).toBe('fx_set_fd_handler__null_4');
    expect(callSource('fx_set_fd_handler__null_4', ['fd', 'NULL', 'NULL', 'NULL'])).toBe('fx_set_fd_handler(fd, NULL, NULL, NULL)');
    expect(displayCallee('fx_set_fd_handler__null_4')).toBe('fx_set_fd_handler(…, NULL)');
    expect(displayToggles('never calls fx_set_fd_handler__fn_4() again')).toBe('never calls fx_set_fd_handler(…) again');
  });

  it('pair by use: cleared on the same object in the paired function, not on another one', async () => {
    const learn = async (text: string) => {
      const learned = new LearnedPairs(undefined, never);
      learned.observe(await modelOf(text, 'hw/fx/h.c'), new Set());
      return learned.pairs().map((p) => `${p.acquire}/${p.release}`);
    };
    const device = (clearOn: string) => `
static void fx_read(void *opaque) { }
static void fx_dev_realize(DeviceState *dev, Error **errp)
{
    FxState *s = FX(dev);
    fx_set_fd_handler(s->fd, fx_read, NULL, s);
}
static void fx_dev_unrealize(DeviceState *dev)
{
    FxState *s = FX(dev);
    fx_set_fd_handler(${clearOn}, NULL, NULL, NULL);
}
static void fx_dev_class_init(ObjectClass *klass, const void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    dc->realize = fx_dev_realize;
    dc->unrealize = fx_dev_unrealize;
}
`;
    expect(await learn(device('s->fd'))).toContain('fx_set_fd_handler__fn_4/fx_set_fd_handler__null_4');
    expect(await learn(device('s->other_fd'))).not.toContain('fx_set_fd_handler__fn_4/fx_set_fd_handler__null_4');
  });
});
