import { describe, expect, it } from 'vitest';
import { parseTrailers } from '../../src/git/trailers.js';

describe('parseTrailers', () => {
  it('reads the trailers of the last paragraph with their line numbers', () => {
    const m = 'subject\n\nbody\n\nFixes: 1234567 ("x")\nSigned-off-by: A <a@x>\nCc: b@x';
    expect(parseTrailers(m)).toEqual([
      { key: 'Fixes', value: '1234567 ("x")', line: 5 },
      { key: 'Signed-off-by', value: 'A <a@x>', line: 6 },
      { key: 'Cc', value: 'b@x', line: 7 },
    ]);
  });

  it('accepts maintainer notes among signed-off trailers, as git does', () => {
    const m = 'subject\n\nbody\n\nSigned-off-by: A <a@x>\n[PMD: fixed the typo]\nSigned-off-by: P <p@x>';
    expect(parseTrailers(m).map((t) => t.key)).toEqual(['Signed-off-by', 'Signed-off-by']);
  });

  it('joins continuation lines', () => {
    const m = 'subject\n\nLink: https://example.org/a\n  /very/long\nSigned-off-by: A <a@x>';
    expect(parseTrailers(m)[0]).toEqual({ key: 'Link', value: 'https://example.org/a /very/long', line: 3 });
  });

  it('finds none in prose, in a subject-only message, or in a mostly-prose paragraph', () => {
    expect(parseTrailers('subject\n\nJust a body: with a colon in it.\nAnd more text.')).toEqual([]);
    expect(parseTrailers('hw/vfio: fix: something')).toEqual([]);
    expect(parseTrailers('')).toEqual([]);
    expect(parseTrailers('s\n\nNote: x\nprose one\nprose two\nprose three')).toEqual([]);
  });
});
