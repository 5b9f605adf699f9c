/** Moved code: a callee's texts read with its parameters bound to the caller's arguments. */
import { describe, expect, it } from 'vitest';
import { baseless, withArguments } from '../../src/model/moves.js';

describe('withArguments', () => {
  it('names a parameter as the caller passes it', () => {
    expect(withArguments('i < nvqs', ['hdev', 'bus', 'nvqs'], ['hdev', 'bus', 'hdev->nvqs'])).toBe('i < hdev->nvqs');
  });
  it('leaves a field of the same name alone', () => {
    expect(withArguments('i < dev->nvqs && nvqs', ['nvqs'], ['n'])).toBe('i < dev->nvqs && n');
    expect(withArguments('s.nvqs > 0', ['nvqs'], ['n'])).toBe('s.nvqs > 0');
  });
  it('reads the fields of a parameter handed an address as the caller names them', () => {
    expect(withArguments('fx_ptimer_free(lt->tick.ptimer)', ['lt'], ['&s->l_timer[i]'])).toBe('fx_ptimer_free(s->l_timer[i].tick.ptimer)');
    // the caller's own names are not read as the helper's parameters
    expect(withArguments('fx_put(s, lt->t)', ['s', 'lt'], ['d', '&s->x[i]'])).toBe('fx_put(d, s->x[i].t)');
    // the parameter itself, not through a field, is the address
    expect(withArguments('fx_put(lt)', ['lt'], ['&s->x'])).toBe('fx_put(&s->x)');
  });
  it('reads an argument written over several lines as one line, as conditions are', () => {
    expect(withArguments('i < total', ['total'], ['pci_get_word(cfg +\n                 OFF)'])).toBe('i < pci_get_word(cfg + OFF)');
  });
  it('keeps the text when a parameter is passed under its own name or not at all', () => {
    expect(withArguments('i < nvqs', ['nvqs'], ['nvqs'])).toBe('i < nvqs');
    expect(withArguments('i < nvqs', ['nvqs'], [])).toBe('i < nvqs');
  });
});

describe('baseless', () => {
  it('makes the base of a field chain alike', () => {
    expect(baseless('i < host->nqueues')).toBe(baseless('i < h->nqueues'));
  });
});
