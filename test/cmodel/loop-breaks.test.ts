/** A `break` out of a loop records where the loop ends (CExit.loopEnd); one out of a switch where the switch ends (CExit.switchEnd). */
import { describe, expect, it } from 'vitest';
import { fn, modelOf } from './helpers.js';

const SNIPPET = `
static void fx_drain(FxDev *s, FxQueue *q)
{
    for (;;) {
        FxElem *elem = fx_queue_pop(q);
        if (!elem) {
            break;
        }
        switch (elem->kind) {
        case 1:
            break;
        default:
            while (s->busy) {
                break;
            }
            break;
        }
    }
    do {
        break;
    } while (s->again);
}
`;

describe('loop breaks', () => {
  it('a break out of a loop knows the loop\'s last line; a break out of a switch inside it does not', async () => {
    const f = fn(await modelOf(SNIPPET), 'fx_drain');
    const breaks = f.exits.filter((e) => e.kind === 'break').map((e) => [e.line, e.loopEnd ?? null]);
    expect(breaks).toEqual([
      [7, 18], // out of the for (;;)
      [11, null], // out of the switch
      [14, 15], // out of the inner while
      [16, null], // out of the switch again
      [20, 21], // out of the do ... while
    ]);
  });

  it('a break out of a switch knows the switch\'s last line instead; one out of a loop inside the switch does not', async () => {
    const f = fn(await modelOf(SNIPPET), 'fx_drain');
    const breaks = f.exits.filter((e) => e.kind === 'break').map((e) => [e.line, e.switchEnd ?? null]);
    expect(breaks).toEqual([
      [7, null],
      [11, 17],
      [14, null],
      [16, 17],
      [20, null],
    ]);
  });

  it('a continue knows the first line of the loop it goes back to, also of a loop with no condition', async () => {
    const f = fn(
      await modelOf(`
static void fx_pump(FxDev *s, FxQueue *q)
{
    for (;;) {
        FxElem *elem = fx_queue_pop(q);
        if (!elem) {
            break;
        }
        if (elem->skip) {
            continue;
        }
        QTAILQ_FOREACH(t, &s->taps, next) {
            if (!t->on) {
                continue;
            }
        }
    }
}
`),
      'fx_pump',
    );
    const continues = f.exits.filter((e) => e.kind === 'continue').map((e) => [e.line, e.loopStart ?? null]);
    expect(continues).toEqual([
      [10, 4], // back to the for (;;)
      [14, 12], // back to the FOREACH
    ]);
  });
});
