import { describe, expect, it } from 'vitest';
import { calleeBase, displayCallee, displayToggles, flippedToggle, toggleCall, callSource, toggleOf } from '../../src/cmodel/toggles.js';
import { hasReleaseVerb, releaseCandidates, releaseSynonyms, verbsPair } from '../../src/pairs/learn/morphology.js';
import { LearnedPairs } from '../../src/pairs/learn/learned.js';
import { renderMessage } from '../../src/rule/messages.js';
import { fn, modelOf } from './helpers.js';

const never = () => false;

describe('switch calls (toggles)', () => {
  it('name a call with one boolean literal and a state word for its side, and keep only the other arguments', () => {
    expect(toggleCall('fx_log_change', ['FX_LOG_RATE', 'true'])).toEqual({ callee: 'fx_log_change__true_1_2', args: ['FX_LOG_RATE'] });
    expect(toggleCall('fx_discard_require', ['false'])).toEqual({ callee: 'fx_discard_require__false_0_1', args: [] });
    expect(toggleCall('fx_region_set_enabled', ['&s->mr', ' true '])?.callee).toBe('fx_region_set_enabled__true_1_2');
  });

  it('read a slot of a class or ops table that switches a state as a toggle too', () => {
    expect(toggleCall('k->set_guest_notifiers', ['qbus->parent', 'n', 'true'])).toEqual({ callee: 'k->set_guest_notifiers__true_2_3', args: ['qbus->parent', 'n'] });
    expect(toggleOf('k->set_guest_notifiers__false_2_3')).toEqual({ kind: 'literal', base: 'k->set_guest_notifiers', on: false, index: 2, arity: 3 });
    expect(flippedToggle('s->ops->set_enabled__true_1_2')).toBe('s->ops->set_enabled__false_1_2');
    expect(callSource('k->set_guest_notifiers__false_2_3', ['qbus->parent', 'n'])).toBe('k->set_guest_notifiers(qbus->parent, n, false)');
    // the slot's own name must say it switches (`s->ops->init(s, true)` says which mode)
    expect(toggleCall('s->ops->init', ['s', 'true'])).toBeNull();
  });

  it('leave alone calls whose literal is an option, two literals, macros, calls through a computed pointer and calls with no literal', () => {
    // no state word: a default, a chip, a direction
    expect(toggleCall('fx_opt_get_bool', ['o', '"x"', 'true'])).toBeNull();
    expect(toggleCall('fx_init_chip', ['s', 'io', 'true'])).toBeNull();
    // which of two literals is the switch is a guess
    expect(toggleCall('fx_set_handler', ['vq', 'true', 'true'])).toBeNull();
    expect(toggleCall('FX_SET_FLAG', ['s', 'true'])).toBeNull();
    expect(toggleCall('(*fn)', ['s', 'true'])).toBeNull();
    expect(toggleCall('s->ops[i].set_enabled', ['s', 'true'])).toBeNull();
    expect(toggleCall('fx_set_enabled', ['s', 'on'])).toBeNull();
  });

  it('read back the call a toggle name stands for', () => {
    expect(toggleOf('fx_log_change__false_1_2')).toEqual({ kind: 'literal', base: 'fx_log_change', on: false, index: 1, arity: 2 });
    expect(toggleOf('fx_log_change')).toBeNull();
    expect(toggleOf('fx_x__true_2_2')).toBeNull();
    expect(calleeBase('fx_log_change__true_1_2')).toBe('fx_log_change');
    expect(calleeBase('fx_log_change')).toBe('fx_log_change');
    expect(flippedToggle('fx_log_change__true_1_2')).toBe('fx_log_change__false_1_2');
    expect(flippedToggle('fx_log_change')).toBeNull();
    expect(callSource('fx_log_change__false_1_2', ['FX_LOG_RATE'])).toBe('fx_log_change(FX_LOG_RATE, false)');
    expect(callSource('fx_log_change', ['a', 'b'], ',')).toBe('fx_log_change(a,b)');
    expect(displayCallee('fx_discard_require__true_0_1')).toBe('fx_discard_require(true)');
    expect(displayCallee('fx_set_used__true_1_3')).toBe('fx_set_used(…, true, …)');
  });

  it('show in messages as the call a reader writes, the template\'s own parentheses folded in', () => {
    expect(displayToggles('calls fx_log_change__false_1_2() at a.c:3, not fx_x__y()')).toBe('calls fx_log_change(…, false) at a.c:3, not fx_x__y()');
    const text = renderMessage('r', { m: '{{fn}}() never calls {{callee}}()' }, 'm', { fn: 'fx_stop', callee: 'fx_log_change__false_1_2' });
    expect(text).toBe('fx_stop() never calls fx_log_change(…, false)');
  });

  it('are proposed as true acquiring and false releasing, whatever the words of the name', () => {
    expect(releaseCandidates('fx_discard_disable__true_0_1')).toEqual(['fx_discard_disable__false_0_1']);
    expect(releaseCandidates('fx_discard_disable__false_0_1')).toEqual([]);
    expect(releaseSynonyms('fx_log_change__true_1_2')).toEqual(['fx_log_change__false_1_2']);
    expect(hasReleaseVerb('fx_discard_disable__true_0_1')).toBe(false);
    // named for switching, not for releasing: only its learned pair makes its false a release
    expect(hasReleaseVerb('fx_region_enable__false_1_2')).toBe(false);
    expect(verbsPair('fx_log_change__true_1_2', 'fx_log_change__false_1_2')).toBe(true);
    expect(verbsPair('fx_log_change__false_1_2', 'fx_log_change__true_1_2')).toBe(false);
  });

  it('are modelled as such in a file, and a helper called with a literal still resolves to its definition', async () => {
    const model = await modelOf(`
static void fx_window_set_enabled(FxState *s, bool on)
{
    s->on = on;
}

static void fx_rate_thread(FxState *s)
{
    fx_log_change(FX_LOG_RATE, true);
    fx_window_set_enabled(s, true);
    fx_log_change(FX_LOG_RATE, false);
}
`);
    const thread = fn(model, 'fx_rate_thread');
    expect(thread.calls.map((c) => c.callee)).toEqual(['fx_log_change__true_1_2', 'fx_window_set_enabled__true_1_2', 'fx_log_change__false_1_2']);
    expect(thread.calls[0]?.args).toEqual(['FX_LOG_RATE']);
    expect(model.functionByName('fx_window_set_enabled__true_1_2')?.name).toBe('fx_window_set_enabled');
  });
});

describe('switch pairs learned from use', () => {
  const learn = async (text: string) => {
    const learned = new LearnedPairs(undefined, never);
    learned.observe(await modelOf(text, 'hw/fx/sw.c'), new Set());
    return learned.pairs().map((p) => `${p.acquire}/${p.release}`);
  };

  it('are learned when the code turns a state off after turning it on, with the same arguments', async () => {
    const pairs = await learn(`
static void fx_rate_thread(FxState *s)
{
    fx_log_change(FX_LOG_RATE, true);
    while (s->running) {
        fx_sample(s);
    }
    fx_log_change(FX_LOG_RATE, false);
}
`);
    expect(pairs).toContain('fx_log_change__true_1_2/fx_log_change__false_1_2');
  });

  it('are learned across paired functions on the same field', async () => {
    const pairs = await learn(`
static void fx_dev_realize(FxDev *dev, Error **errp)
{
    FxState *s = FX(dev);
    fx_backend_set_mapped(s->backend, true);
}

static void fx_dev_unrealize(FxDev *dev)
{
    FxState *d = FX(dev);
    fx_backend_set_mapped(d->backend, false);
}
`);
    expect(pairs).toContain('fx_backend_set_mapped__true_1_2/fx_backend_set_mapped__false_1_2');
  });

  it('are not learned from the two arms of one test, nor from calls on other arguments', async () => {
    const pairs = await learn(`
static void fx_update(FxState *s)
{
    if (s->level) {
        fx_set_irq(s->irq, true);
    } else {
        fx_set_irq(s->irq, false);
    }
}

static void fx_pulse_lines(FxState *s)
{
    fx_set_line(s, 0, true);
    fx_set_line(s, 1, false);
}
`);
    expect(pairs.filter((p) => p.includes('__'))).toEqual([]);
  });
});
