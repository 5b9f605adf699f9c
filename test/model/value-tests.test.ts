/** Which conditions test a value itself (src/model/value-tests.ts): only those can be the failure of the call that produced it. */
import { describe, expect, it } from 'vitest';
import { comparedWithAnotherObject, returnsStatus, testsReturnedMember, testsValueItself } from '../../src/model/value-tests.js';
import { fn, modelOf } from '../cmodel/helpers.js';
import type { CCall } from '../../src/cmodel/types.js';

describe('testsValueItself', () => {
  it('a negation, a comparison or the bare value tests it', () => {
    expect(testsValueItself('!elem', 'elem')).toBe(true);
    expect(testsValueItself('fd < 0', 'fd')).toBe(true);
    expect(testsValueItself('p == MAP_FAILED', 'p')).toBe(true);
    expect(testsValueItself('ret', 'ret')).toBe(true);
    expect(testsValueItself('*map == MAP_FAILED', '*map')).toBe(true);
    expect(testsValueItself('(elem == NULL)', 'elem')).toBe(true);
  });

  it('reading through it or handing it to a call uses it, after the call that produced it succeeded', () => {
    expect(testsValueItself('elem->out_num == 0', 'elem')).toBe(false);
    expect(testsValueItself('!blob->pages', 'blob')).toBe(false);
    expect(testsValueItself('buf[0] != 0', 'buf')).toBe(false);
    expect(testsValueItself('fx_ctrl_len(elem) < sizeof(ctrl)', 'elem')).toBe(false);
    expect(testsValueItself('fx_check(s, elem, 0)', 'elem')).toBe(false);
    // an address computed from it, as a call's argument or compared
    expect(testsValueItself('fx_is_multicast(page + req.offset + FX_ALEN)', 'page')).toBe(false);
    expect(testsValueItself('end - page > len', 'page')).toBe(false);
    // (a decrement or a compound store is no address)
    expect(testsValueItself('page-- == 0', 'page')).toBe(true);
    // another name that contains it is not it
    expect(testsValueItself('elements > 2', 'elem')).toBe(false);
    expect(testsValueItself('s->elem == NULL', 'elem')).toBe(false);
  });

  it('what it points to, and a sizeof, are no test of it', () => {
    expect(testsValueItself('*buf == 0', 'buf')).toBe(false);
    expect(testsValueItself('fx_read(as, addr, in, sizeof(*in)) != FX_OK', 'in')).toBe(false);
    expect(testsValueItself('len < sizeof(in)', 'in')).toBe(false);
    // (a product is no dereference)
    expect(testsValueItself('n * in > 4', 'in')).toBe(true);
  });

  it('one test of the value itself is enough, beside uses', () => {
    expect(testsValueItself('!elem || elem->out_num == 0', 'elem')).toBe(true);
  });
});

describe('testsReturnedMember', () => {
  const find = { callee: 'fx_region_find', args: ['root', 'addr', '1'], result: 'section', line: 10, endLine: 10, guards: [] } as unknown as CCall;

  it('a test of a member of a structure the call returned by value is its failure', () => {
    expect(testsReturnedMember('!section.mr', find)).toBe(true);
    expect(testsReturnedMember('section . mr == NULL', find)).toBe(true);
    expect(testsReturnedMember('!section.mr || len == 0', find)).toBe(true);
  });

  it('a member handed to a call, another variable, or a pointer\'s field is not', () => {
    expect(testsReturnedMember('!fx_nonzero(section.size) || !fx_is_ram(section.mr)', find)).toBe(false);
    expect(testsReturnedMember('!other.mr', find)).toBe(false);
    expect(testsReturnedMember('!s->section.mr', find)).toBe(false);
    expect(testsReturnedMember('!section.mr', { ...find, result: 's->section' } as CCall)).toBe(false);
  });
});

describe('comparedWithAnotherObject', () => {
  it('reads a comparison with another object as no failure test', () => {
    expect(comparedWithAnotherObject('mrs.mr != mr', 'mrs.mr')).toBe(true);
    expect(comparedWithAnotherObject('s->cur == p', 'p')).toBe(true);
    // the address of another object is one too (`section.mr != &s->iomem`)
    expect(comparedWithAnotherObject('section.mr != &s->iomem', 'section.mr')).toBe(true);
    expect(comparedWithAnotherObject('&s->iomem == section.mr', 'section.mr')).toBe(true);
  });
  it('reads a comparison with a constant, or a plain test, as one', () => {
    expect(comparedWithAnotherObject('mrs.mr == NULL', 'mrs.mr')).toBe(false);
    expect(comparedWithAnotherObject('fd == -1', 'fd')).toBe(false);
    expect(comparedWithAnotherObject('addr == MAP_FAILED', 'addr')).toBe(false);
    expect(comparedWithAnotherObject('!p', 'p')).toBe(false);
    // one plain test among the comparisons is a failure test
    expect(comparedWithAnotherObject('!p || p != q', 'p')).toBe(false);
  });
});

describe('returnsStatus', () => {
  it('reads a value named as a status, or tested for a negative errno, as a status; an object as none', async () => {
    const model = await modelOf(
      [
        'static int fx_connect(FxState *s, Error **errp)',
        '{',
        '    int ret = fx_dev_init(&s->dev, errp);',
        '    int n;',
        '    FxBuf *buf;',
        '',
        '    n = fx_dev_open(&s->dev);',
        '    if (n < 0) {',
        '        return n;',
        '    }',
        '    buf = fx_buf_new(n);',
        '    if (!buf) {',
        '        return -ENOMEM;',
        '    }',
        '    s->buf = buf;',
        '    return ret;',
        '}',
      ].join('\n'),
    );
    const f = fn(model, 'fx_connect');
    const call = (name: string) => f.calls.find((c) => c.callee === name) as CCall;
    expect(returnsStatus(f, call('fx_dev_init'))).toBe(true);
    expect(returnsStatus(f, call('fx_dev_open'))).toBe(true);
    expect(returnsStatus(f, call('fx_buf_new'))).toBe(false);
  });
});
