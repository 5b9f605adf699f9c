/** The small stages of the lint loop on their own: the run's notes and the fix bases. */
import { describe, expect, it } from 'vitest';
import { RunNotes } from '../../src/engine/run-notes.js';
import { FixBases } from '../../src/fix/bases.js';
import { PairlintError } from '../../src/errors.js';
import type { ChangedFile } from '../../src/model/changed-file.js';
import type { Finding } from '../../src/rule/finding.js';

const file = (context: boolean, diffOnly = false) => ({ diff: { context }, diffOnly }) as unknown as ChangedFile;

describe('RunNotes', () => {
  it('notes each failure once, keeps the report order, and lets a user error end the run', () => {
    const notes = new RunNotes();
    notes.seeCommit({ source: { kind: 'patch' } } as never);
    notes.failed('a.c', new Error('parser\n  crashed'));
    notes.failed('a.c', new Error('again'));
    notes.binaryC.add('blob.c');
    notes.seeFile({ pre: null, post: null, mode: 'diff-only' }, file(false, true));
    notes.countSilenced(2);
    expect(() => notes.failed('b.c', new PairlintError('bad config'))).toThrow('bad config');
    expect(notes.list()).toEqual([
      'not checked: a.c: parser crashed',
      'diff-only mode: no source tree or repository, so rules read only the hunks',
      'binary change to blob.c not checked (no text to read)',
      'nothing was checked: the only C changes are binary',
      '2 findings silenced by pairlint-ignore comments or Pairlint-Ignore trailers',
    ]);
  });

  it('counts checked files without the context files of a pathspec, and says nothing of messages alone', () => {
    const notes = new RunNotes();
    notes.countChecked([file(false), file(true), file(false)]);
    expect(notes.checkedFiles).toBe(2);
    const messages = new RunNotes();
    messages.seeCommit({ source: { kind: 'commit-msg' } } as never);
    expect(messages.list()).toEqual([]);
  });
});

describe('FixBases', () => {
  const finding = (): Finding =>
    ({
      fingerprint: 'f1',
      fix: { kind: 'add-release', description: 'd', edits: [{ file: 'a.c', line: 2, endLine: 2, old: 'x;\n', text: 'x;\ny;\n', inHunk: true }] },
    }) as unknown as Finding;

  it('keeps a fix on the image its commit left when no later commit changed the file', () => {
    const bases = new FixBases();
    const f = finding();
    bases.seeFixes([f], new Map([['a.c', 'w;\nx;\n']]), 0);
    expect([...bases.settle([f], null, () => 0)]).toEqual([['a.c', 'w;\nx;\n']]);
    expect(f.fix).toBeDefined();
  });

  it('drops the fix over a history when a later commit changed the file it edits', () => {
    const bases = new FixBases();
    const f = finding();
    bases.seeFixes([f], new Map([['a.c', 'w;\nx;\n']]), 0);
    bases.seeImages({ pre: { path: 'a.c', text: 'w;\nx;\n' }, post: { path: 'a.c', text: 'v;\nw;\nx;\n' }, mode: 'full' }, 1);
    expect(bases.settle([f], null, () => 0).size).toBe(0);
    expect(f.fix).toBeUndefined();
  });

  it('in a series keeps the fix of a finding still present, moved onto the final image', () => {
    const bases = new FixBases();
    const f = finding();
    bases.seeFixes([f], new Map([['a.c', 'w;\nx;\n']]), 0);
    bases.seeImages({ pre: { path: 'a.c', text: 'w;\nx;\n' }, post: { path: 'a.c', text: 'v;\nw;\nx;\n' }, mode: 'full' }, 1);
    expect([...bases.settle([f], new Set(['f1']), () => 0)]).toEqual([['a.c', 'v;\nw;\nx;\n']]);
    expect(f.fix?.edits[0]?.line).toBe(3);
  });
});
