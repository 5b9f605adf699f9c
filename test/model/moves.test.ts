/** Moved code: a callee's texts read with its parameters bound to the caller's arguments. */
import { describe, expect, it } from 'vitest';
import { baseless, movedInWhole, withArguments } from '../../src/model/moves.js';

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

describe('movedInWhole', () => {
  const whole = { diff: { status: 'added', hunks: [{ lines: [{ kind: '+' }, { kind: '+' }] }] } };
  it('a file added whole by a commit whose subject says it moves or renames code', () => {
    expect(movedInWhole('hw: move target-independent files to subdirectories', whole)).toBe(true);
    expect(movedInWhole('fx/core: Rename fx-old.c to fx-core.c', whole)).toBe(true);
    expect(movedInWhole('move fx.c into hw/fx', whole)).toBe(true);
  });
  it('not a file the commit writes in a commit that says something else, nor one it edits', () => {
    expect(movedInWhole('fx: add a mailbox device', whole)).toBe(false);
    // (the word later in the subject says what the code does, not what the commit does)
    expect(movedInWhole('fx: fix a leak when the guest moves the window', whole)).toBe(false);
    expect(movedInWhole('hw: move files', { diff: { status: 'modified', hunks: [{ lines: [{ kind: '+' }] }] } })).toBe(false);
    expect(movedInWhole('hw: move files', { diff: { status: 'added', hunks: [{ lines: [{ kind: '+' }, { kind: ' ' }] }] } })).toBe(false);
  });
});
