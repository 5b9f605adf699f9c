/**
 * The bad-input matrix, patch files: each row is a fixture written here and
 * the one-line error (exit 2) or the result pairlint must give. Every row
 * goes through the real CLI (main() in-process); a few also run as a process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, diffTexts } from '../git/helpers.js';
import { runBin, runCli, type JsonReport } from '../support/cli.js';
import { quotedPrintable } from '../support/mail.js';
import {
  LISTENER,
  LISTENER_PATH,
  SKIP_EDIT,
  SKIP_LINE,
  TRACE_EDIT,
  expectInputError,
  expectRead,
  listenerDiff,
  mail,
  makeTree,
  writeTemp,
} from './helpers.js';

afterAll(cleanupTempDirs);

async function lintJson(tree: string, patch: string, extra: string[] = []): Promise<JsonReport & { code: number }> {
  const run = await runCli(['--tree', tree, patch, '--format', 'json', ...extra]);
  expectRead(run);
  return { ...(JSON.parse(run.stdout) as JsonReport), code: run.code };
}

/** The one skip-asymmetry finding the SKIP_EDIT patch must give, wherever it came from. */
function expectSkipFinding(report: JsonReport, path = LISTENER_PATH): void {
  const skips = report.findings.filter((f) => f.ruleId === 'skip-asymmetry');
  expect(skips).toHaveLength(1);
  expect(skips[0]).toMatchObject({ file: path, line: SKIP_LINE, function: 'fx_container_region_add' });
}

describe('bad input: not a patch at all', () => {
  it('an empty file, a blank file, empty stdin', async () => {
    expectInputError(await runCli([writeTemp('empty.patch', '')]), /empty\.patch: empty input$/m);
    expectInputError(await runCli([writeTemp('blank.patch', '\n  \n\t\n')]), /blank\.patch: empty input$/m);
    expectInputError(await runCli(['-'], { stdin: '' }), /^pairlint: -: empty input$/m);
    expectInputError(runBin([writeTemp('empty.patch', '')]), /empty\.patch: empty input$/m);
  });

  it('a file that is not a patch', async () => {
    expectInputError(await runCli([writeTemp('notes.txt', 'just some notes\nnothing to see\n')]), /notes\.txt: not a patch/);
    // a mail without a diff
    const noDiff = mail('').replace(/---\n-- \n/, '');
    expectInputError(await runCli([writeTemp('nodiff.mbox', noDiff)]), /nodiff\.mbox:1: not a patch: mail "fx: skip the map for marked regions" has no diff/);
    // a C file given as the patch
    expectInputError(await runCli([writeTemp('listener.c', LISTENER)]), /listener\.c: not a patch/);
  });

  it('a file with NUL bytes', async () => {
    const bytes = Buffer.concat([Buffer.from(listenerDiff(TRACE_EDIT)), Buffer.from([0, 1, 2, 0])]);
    const path = writeTemp('nul.patch', bytes);
    expectInputError(await runCli(['--tree', makeTree(), path]), /nul\.patch: binary data \(NUL byte\), not a patch/);
    expectInputError(runBin(['--tree', makeTree(), path]), /nul\.patch: binary data \(NUL byte\), not a patch/);
  });
});

describe('bad input: binary patches', () => {
  const binarySection = (path: string) =>
    [
      `diff --git a/${path} b/${path}`,
      'index 1234567..89abcde 100644',
      'GIT binary patch',
      'literal 10',
      'RcmZ?wbhEHbG+@x=0RR9c00000',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      '',
    ].join('\n');

  /*
   * Choice: a patch whose only C changes are binary is not an input error (git
   * wrote it and it is readable), but nothing could be checked, so the run
   * exits 0 only with a note that says so, in the text and the JSON output.
   */
  it('only a binary C change: exit 0 with a note that nothing was checked', async () => {
    const path = writeTemp('binary.mbox', mail(binarySection(LISTENER_PATH)));
    const text = await runCli(['--tree', makeTree(), path]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`note: binary change to ${LISTENER_PATH} not checked`);
    expect(text.stdout).toContain('note: nothing was checked: the only C changes are binary');
    expect(text.stdout).toMatch(/\(0 C files checked\)/);
    const json = await lintJson(makeTree(), path);
    expect(json.notes).toContain('nothing was checked: the only C changes are binary');
    expect(json.summary.files).toBe(0);
  });

  it('"Binary files ... differ" without data, next to a text change that is checked', async () => {
    const diff = `diff --git a/hw/fx/blob.c b/hw/fx/blob.c\nindex 1234567..89abcde 100644\nBinary files a/hw/fx/blob.c and b/hw/fx/blob.c differ\n${listenerDiff(SKIP_EDIT)}`;
    const report = await lintJson(makeTree(), writeTemp('mixed.mbox', mail(diff)));
    expectSkipFinding(report);
    expect(report.summary.files).toBe(1);
    expect(report.notes.join('\n')).toContain('binary change to hw/fx/blob.c not checked');
  });

  it('a binary image next to C: the C is checked, no note about the image', async () => {
    const report = await lintJson(makeTree(), writeTemp('png.mbox', mail(binarySection('docs/logo.png') + listenerDiff(SKIP_EDIT))));
    expectSkipFinding(report);
    expect(report.notes).toEqual([]);
  });
});

describe('bad input: file operations', () => {
  it('a rename without changes', async () => {
    const diff = `diff --git a/${LISTENER_PATH} b/hw/fx/listener2.c\nsimilarity index 100%\nrename from ${LISTENER_PATH}\nrename to hw/fx/listener2.c\n`;
    const report = await lintJson(makeTree(), writeTemp('rename.mbox', mail(diff)));
    expect(report.code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.summary.files).toBe(1);
  });

  it('a rename with changes: the pre-image comes from the old path, findings name the new one', async () => {
    const diff = listenerDiff(SKIP_EDIT)
      .replace(`diff --git a/${LISTENER_PATH} b/${LISTENER_PATH}`, `diff --git a/${LISTENER_PATH} b/hw/fx/listener2.c\nsimilarity index 95%\nrename from ${LISTENER_PATH}\nrename to hw/fx/listener2.c`)
      .replace(`+++ b/${LISTENER_PATH}`, '+++ b/hw/fx/listener2.c');
    const report = await lintJson(makeTree(), writeTemp('rename-change.mbox', mail(diff)));
    expectSkipFinding(report, 'hw/fx/listener2.c');
    expect(report.code).toBe(1);
  });

  it('a rename whose source is missing from the tree', async () => {
    const diff = `diff --git a/hw/fx/gone.c b/hw/fx/here.c\nsimilarity index 100%\nrename from hw/fx/gone.c\nrename to hw/fx/here.c\n`;
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('rename-missing.mbox', mail(diff))]), /hw\/fx\/gone\.c: not found in .* \(the patch renames it, so it must exist at base\)/);
  });

  it('a mode-only change', async () => {
    const diff = `diff --git a/${LISTENER_PATH} b/${LISTENER_PATH}\nold mode 100644\nnew mode 100755\n`;
    const report = await lintJson(makeTree(), writeTemp('mode.mbox', mail(diff)));
    expect(report.code).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('a deleted file', async () => {
    const patch = writeTemp('delete.mbox', mail(listenerDiff(null)));
    const report = await lintJson(makeTree(), patch);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.summary.files).toBe(1);
    // deleting a file the tree does not have
    expectInputError(await runCli(['--tree', makeTree({ 'README': 'x\n' }), patch]), /hw\/fx\/listener\.c: not found in .* \(the patch deletes it, so it must exist at base\)/);
  });

  it('a new file', async () => {
    const report = await lintJson(makeTree({ 'README': 'x\n' }), writeTemp('new.mbox', mail(listenerDiff(SKIP_EDIT, null, 'hw/fx/new.c'))));
    expect(report.summary.files).toBe(1);
    // a new file is checked like any other: its region_add skips what its region_del undoes
    expectSkipFinding(report, 'hw/fx/new.c');
  });

  it('a patch touching only non-C files: exit 0, and the text output says nothing was checked', async () => {
    const tree = makeTree({ 'docs/notes.txt': 'one\ntwo\nthree\n', 'hw/fx/meson.build': "fx_ss.add(files('listener.c'))\n" });
    const diff = diffTexts('one\ntwo\nthree\n', 'one\n2\nthree\n', 'docs/notes.txt') +
      diffTexts("fx_ss.add(files('listener.c'))\n", "fx_ss.add(files('listener.c', 'more.c'))\n", 'hw/fx/meson.build');
    const patch = writeTemp('docs.mbox', mail(diff));
    const run = await runCli(['--tree', tree, patch]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('note: no C files (.c, .h) were changed: nothing to check for pairs');
    expect(run.stdout).toMatch(/0 errors, 0 warnings, 0 infos in 1 commit \(0 C files checked\)/);
    expect((await lintJson(tree, patch)).notes).toContain('no C files (.c, .h) were changed: nothing to check for pairs');
    const proc = runBin(['--tree', tree, patch]);
    expect(proc.code).toBe(0);
    expect(proc.stdout).toContain('nothing to check for pairs');
  });
});

describe('bad input: encodings', () => {
  it('a CRLF patch reads like the LF one', async () => {
    const lf = mail(listenerDiff(SKIP_EDIT));
    const report = await lintJson(makeTree(), writeTemp('crlf.mbox', lf.replace(/\n/g, '\r\n')));
    expectSkipFinding(report);
    // and a CRLF source tree under an LF patch
    expectSkipFinding(await lintJson(makeTree({ [LISTENER_PATH]: LISTENER.replace(/\n/g, '\r\n') }), writeTemp('lf.mbox', lf)));
  });

  it('a quoted-printable body', async () => {
    const body = mail(listenerDiff(SKIP_EDIT)).split('\n');
    const headerEnd = body.indexOf('');
    // short lines, so most lines get soft line breaks
    const qp = quotedPrintable(body.slice(headerEnd + 1).join('\n'), 40);
    const headers = [...body.slice(0, headerEnd), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable'];
    const report = await lintJson(makeTree(), writeTemp('qp.mbox', `${headers.join('\n')}\n\n${qp}`));
    expectSkipFinding(report);
  });

  it('a base64 body', async () => {
    const body = mail(listenerDiff(SKIP_EDIT)).split('\n');
    const headerEnd = body.indexOf('');
    const b64 = (Buffer.from(body.slice(headerEnd + 1).join('\n')).toString('base64').match(/.{1,76}/g) ?? []).join('\n');
    const headers = [...body.slice(0, headerEnd), 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64'];
    expectSkipFinding(await lintJson(makeTree(), writeTemp('b64.mbox', `${headers.join('\n')}\n\n${b64}\n`)));
  });

  it('an RFC 2047 subject is decoded', async () => {
    const subject = '=?UTF-8?q?=5BPATCH=5D_fx=3A_skip_the_map_for_caf=C3=A9_regions?=';
    const report = await lintJson(makeTree(), writeTemp('rfc2047.mbox', mail(listenerDiff(SKIP_EDIT), { subject })));
    expectSkipFinding(report);
    expect(report.findings[0]?.commit?.subject).toBe('fx: skip the map for café regions');
  });

  it('non-UTF-8 bytes: a Latin-1 mail, and invalid bytes in a plain diff', async () => {
    const text = mail(listenerDiff(SKIP_EDIT), {
      subject: '[PATCH] fx: skip the map for caf\u00e9 regions',
      headers: ['MIME-Version: 1.0', 'Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: 8bit'],
      body: 'Regions marked by their owner (caf\u00e9) stay out of the IOMMU.',
    });
    const report = await lintJson(makeTree(), writeTemp('latin1.mbox', Buffer.from(text, 'latin1')));
    expectSkipFinding(report);
    // an invalid byte on a context line must match the same byte in the tree file
    const before = Buffer.from('int a; /* caf\xe9 */\nint b;\nint c;\n', 'latin1');
    const after = Buffer.from('int a; /* caf\xe9 */\nint b2;\nint c;\n', 'latin1');
    const patch = Buffer.concat([
      Buffer.from('diff --git a/hw/x.c b/hw/x.c\n--- a/hw/x.c\n+++ b/hw/x.c\n@@ -1,3 +1,3 @@\n '),
      before.subarray(0, before.indexOf(0x0a) + 1),
      Buffer.from('-int b;\n+int b2;\n int c;\n'),
    ]);
    expect(after.length).toBeGreaterThan(0);
    expectRead(await runCli(['--tree', makeTree({ 'hw/x.c': before }), writeTemp('latin1.patch', patch), '--format', 'json']));
  });

  it('a line of 1 MB (in the code, the message and the subject)', async () => {
    const huge = 'x'.repeat(1 << 20);
    // (edited in the patch text: the added line carries the long comment)
    const longCode = edit1(listenerDiff(SKIP_EDIT), '+        return;\n', `+        return; /* ${huge} */\n`);
    const report = await lintJson(makeTree(), writeTemp('long.mbox', mail(longCode, { body: `Why: ${huge}` })));
    expectSkipFinding(report);
    const longSubject = await runCli(['--tree', makeTree(), writeTemp('subject.mbox', mail(listenerDiff(TRACE_EDIT), { subject: `[PATCH] ${huge}` }))]);
    expectRead(longSubject);
  });
});

function edit1(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`not found: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

describe('bad input: broken hunks', () => {
  const good = mail(listenerDiff(TRACE_EDIT));

  it('a truncated hunk (the input ends inside it)', async () => {
    const cut = good.slice(0, good.indexOf('+    trace_fx_region_del_done();'));
    const path = writeTemp('truncated.mbox', cut);
    expectInputError(await runCli(['--tree', makeTree(), path]), /truncated\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: hunk is truncated: the input ends with 3 old and 4 new lines missing$/m);
    expectInputError(runBin(['--tree', makeTree(), path]), /truncated\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: hunk is truncated/);
    // --debug adds stack traces to internal errors only: bad input stays one line
    expectInputError(await runCli(['--tree', makeTree(), path, '--debug']), /hunk is truncated/);
  });

  it('a hunk whose counts lie (too many, too few)', async () => {
    const header = /@@ -(\d+),6 \+(\d+),7 @@/.exec(good);
    expect(header).not.toBeNull();
    const [, o, n] = header as RegExpExecArray;
    const more = good.replace(`@@ -${o},6 +${n},7 @@`, `@@ -${o},6 +${n},9 @@`);
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('more.mbox', more)]), /more\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: hunk is truncated: its body ends before its header counts are met \(0 old and 2 new lines missing; found "-- "\)/);
    const fewer = good.replace(`@@ -${o},6 +${n},7 @@`, `@@ -${o},4 +${n},5 @@`);
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('fewer.mbox', fewer)]), /fewer\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: line is not part of the hunk \(its header counts do not match its body\)/);
    const garbled = good.replace(`@@ -${o},6 +${n},7 @@`, `@@ -${o},six +${n},7 @@`);
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('garbled.mbox', garbled)]), /garbled\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: hunk header does not parse/);
    const empty = good.replace(`@@ -${o},6 +${n},7 @@`, `@@ -${o},0 +${n},0 @@`);
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('empty-hunk.mbox', empty)]), /empty-hunk\.mbox:\d+: hunk 1 of hw\/fx\/listener\.c: hunk header counts no lines/);
    expectInputError(runBin(['--tree', makeTree(), writeTemp('empty-hunk.mbox', empty)]), /hunk header counts no lines/);
  });

  it('a hunk that does not apply to --tree', async () => {
    const other = makeTree({ [LISTENER_PATH]: LISTENER.replace('    memory_region_unref(section->mr);\n}', '    memory_region_unref(section->mr);\n    /* changed */\n}') });
    expectInputError(await runCli(['--tree', other, writeTemp('stale.mbox', good)]), /hw\/fx\/listener\.c: hunk 1 \(@@ -\d+,6 \+\d+,7 @@\) does not apply to the file in /);
  });

  it('a hunk without a file header, a file header without hunks', async () => {
    const body = good.slice(good.indexOf('@@'));
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('headless.patch', body)]), /headless\.patch: not a patch \(no diff, mail or commit found\)/);
    const headerOnly = `diff --git a/${LISTENER_PATH} b/${LISTENER_PATH}\nindex 1111111..2222222 100644\n--- a/${LISTENER_PATH}\n+++ b/${LISTENER_PATH}\n`;
    expectInputError(await runCli(['--tree', makeTree(), writeTemp('nohunks.patch', headerOnly)]), /nohunks\.patch:1: hw\/fx\/listener\.c: file header with no hunks/);
  });
});

describe('bad input: hostile C', () => {
  it('unbalanced braces: never a crash, rules degrade', async () => {
    const broken = edit1(SKIP_EDIT, '        error_report("fx: dma map failed: %d", ret);\n    }\n}\n', '        error_report("fx: dma map failed: %d", ret);\n\n}\n#define FX_BAD(x) { (x\n}}}} ((( \n');
    const run = await runCli(['--tree', makeTree(), writeTemp('unbalanced.mbox', mail(listenerDiff(broken))), '--format', 'json']);
    expectRead(run);
    // and a tree that is broken before the patch
    const tree = makeTree({ [LISTENER_PATH]: LISTENER.replace('static bool fx_listener_valid_section', '{{{{ static bool fx_listener_valid_section') });
    expectRead(await runCli(['--tree', tree, writeTemp('trace.mbox', mail(diffTexts(LISTENER.replace('static bool fx_listener_valid_section', '{{{{ static bool fx_listener_valid_section'), TRACE_EDIT.replace('static bool fx_listener_valid_section', '{{{{ static bool fx_listener_valid_section'), LISTENER_PATH)))]));
  });

  it('heavy macros', async () => {
    const macros = [
      '#define FX_FOREACH(x, l) for ((x) = (l); (x); (x) = (x)->next)',
      '#define FX_GLUE(a, b) a ## b',
      '#define FX_DECL(n) static int FX_GLUE(fx_, n)(void) { return n; }',
      'FX_DECL(1) FX_DECL(2) FX_DECL(3)',
      '#define FX_WITH_LOCK(l) for (int _i = (qemu_mutex_lock(l), 0); !_i; qemu_mutex_unlock(l), _i = 1)',
      '#if defined(CONFIG_FX) && (CONFIG_FX > 1)',
      '#  define FX_MAP vfio_container_dma_map',
      '#else',
      '#  define FX_MAP(...) 0',
      '#endif',
      '',
    ].join('\n');
    const base = LISTENER.replace('#include "fixture-container.h"\n', `#include "fixture-container.h"\n${macros}`);
    const after = base
      .replace('    memory_region_ref(section->mr);\n', '    FX_WITH_LOCK(&fc->lock) {\n        memory_region_ref(section->mr);\n    }\n')
      .replace('    int ret;\n\n    if (!fx_listener_valid_section(section)) {\n        return;\n    }\n    if (!fx_section_range(fc, section, &iova, &llsize)) {\n        return;\n    }\n\n    memory_region_ref', '    int ret;\n    FX_FOREACH(fc, fc) { if (FX_GLUE(fx, _skip)(fc)) return; }\n\n    if (!fx_listener_valid_section(section)) {\n        return;\n    }\n    if (!fx_section_range(fc, section, &iova, &llsize)) {\n        return;\n    }\n\n    memory_region_ref');
    expect(after).not.toBe(base);
    const run = await runCli(['--tree', makeTree({ [LISTENER_PATH]: base }), writeTemp('macros.mbox', mail(diffTexts(base, after, LISTENER_PATH))), '--format', 'json']);
    expectRead(run);
  });
});
