/**
 * error-path-leak: an error path whose unwind releases part of what the
 * function acquired (munmap) but not all that the normal release path
 * releases (object_unparent of the RAM-device region over the mapping).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/fx-notifier.c';
const BASE = fixture('rules/error-path.c');

async function lintChange(base: string, after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: base });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === 'error-path-leak');
}

const ANCHOR = '    g_free(name);\n';
/** Add an exit on a failed fx_set_notifier_mr() after the region is set up. */
const withExit = (base: string, body: string) =>
  edit(base, ANCHOR, `${ANCHOR}\n    if (fx_set_notifier_mr(d, idx, &n->mr, true)) {\n${body}    }\n`);

const MUNMAP_ONLY = withExit(BASE, '        munmap(addr, d->page_size);\n        return -1;\n');

/** The base's mmap() (with its own failure check) and the region over it. */
const MAP_THEN_REGION =
  '    addr = mmap(NULL, d->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx * d->page_size);\n' +
  '    if (addr == MAP_FAILED) {\n        return -1;\n    }\n\n' +
  '    name = g_strdup_printf("fx-notifier-%d", idx);\n' +
  '    memory_region_init_ram_device_ptr(&n->mr, OBJECT(d), name, d->page_size, addr);\n' +
  '    g_free(name);\n';

describe('error-path-leak', () => {
  it('fires when the unwind munmap()s but leaves the RAM-device region over the mapping', async () => {
    const findings = await lintChange(BASE, MUNMAP_ONLY);
    const check = lineOf(MUNMAP_ONLY, 'if (fx_set_notifier_mr(d, idx, &n->mr, true))');
    const region = lineOf(MUNMAP_ONLY, 'memory_region_init_ram_device_ptr(');
    const unparent = lineOf(MUNMAP_ONLY, 'object_unparent(OBJECT(&n->mr));');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      function: 'fx_notifier_init',
      file: PATH,
      line: check,
      endLine: lineOf(MUNMAP_ONLY, 'return -1;', check),
      related: [
        { file: PATH, line: region, function: 'fx_notifier_init', message: 'memory_region_init_ram_device_ptr() is taken here' },
        { file: PATH, line: unparent, function: 'fx_notifier_uninit', message: 'fx_notifier_uninit() releases it with object_unparent()' },
      ],
    });
    const message = findings[0]?.message ?? '';
    expect(message).toContain(`fx_notifier_init() returns -1 on this error path after memory_region_init_ram_device_ptr() (${PATH}:${region})`);
    expect(message).toContain('the unwind undoes mmap() but never calls object_unparent()');
    expect(message).toContain('memory region over host memory leaks when `fx_set_notifier_mr(d, idx, &n->mr, true)` fails');
    expect(message).toContain(`The normal release path, fx_notifier_uninit() (${PATH}:${unparent}), undoes both`);
  });

  it('fires when the error path jumps to an unwind label that only munmap()s', async () => {
    const after = edit(
      withExit(BASE, '        goto err;\n'),
      '    n->addr = addr;\n    return 0;\n}\n',
      '    n->addr = addr;\n    return 0;\n\nerr:\n    munmap(addr, d->page_size);\n    return -1;\n}\n',
    );
    const findings = await lintChange(BASE, after);
    const check = lineOf(after, 'if (fx_set_notifier_mr(d, idx, &n->mr, true))');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      function: 'fx_notifier_init',
      line: check,
      related: [
        { line: lineOf(after, 'memory_region_init_ram_device_ptr('), function: 'fx_notifier_init' },
        { line: lineOf(after, 'object_unparent(OBJECT(&n->mr));'), function: 'fx_notifier_uninit' },
      ],
    });
    expect(findings[0]?.message).toMatch(/^fx_notifier_init\(\) jumps to err on this error path after memory_region_init_ram_device_ptr\(\)/);
    expect(findings[0]?.message).toContain('never calls object_unparent()');
  });

  it('is silent when the error path unparents the region too', async () => {
    const after = withExit(BASE, '        object_unparent(OBJECT(&n->mr));\n        munmap(addr, d->page_size);\n        return -1;\n');
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('is silent for an early return that releases nothing', async () => {
    const after = withExit(BASE, '        return -1;\n');
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('is silent when the exit tests the failure of the acquire itself', async () => {
    // The region goes over a shared page first; the doorbell mmap() comes after it. When that
    // mmap() fails there is nothing to munmap(): only the region is undone, and rightly so.
    const after = edit(
      BASE,
      MAP_THEN_REGION,
      '    name = g_strdup_printf("fx-notifier-%d", idx);\n' +
        '    memory_region_init_ram_device_ptr(&n->mr, OBJECT(d), name, d->page_size, d->shared_page);\n' +
        '    g_free(name);\n\n' +
        '    addr = mmap(NULL, d->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx * d->page_size);\n' +
        '    if (addr == MAP_FAILED) {\n        object_unparent(OBJECT(&n->mr));\n        return -1;\n    }\n',
    );
    expect(await lintChange(BASE, after)).toEqual([]);
  });

  it('is silent when no function of the program releases both', async () => {
    // the teardown only munmap()s: nothing shows the region is undone on the normal path either
    const base = edit(BASE, '    object_unparent(OBJECT(&n->mr));\n', '');
    const after = withExit(base, '        munmap(addr, d->page_size);\n        return -1;\n');
    expect(await lintChange(base, after)).toEqual([]);
  });

  it('is silent when the leak was already there before the commit', async () => {
    // the commit rewrites a line between the acquires and the exit, but the exit and its unwind are as before
    const after = edit(MUNMAP_ONLY, '"fx-notifier-%d"', '"fx-host-notifier-%d"');
    expect(await lintChange(MUNMAP_ONLY, after)).toEqual([]);
  });

  it('is silent when the commit only changes the return value of an existing leaky exit', async () => {
    // the leak was there before: a new return value on the same failure is the same leak
    const after = edit(MUNMAP_ONLY, '        munmap(addr, d->page_size);\n        return -1;\n', '        munmap(addr, d->page_size);\n        return -EIO;\n');
    expect(await lintChange(MUNMAP_ONLY, after)).toEqual([]);
  });

  it('is silent when the failed acquire stores its result in a field (`n->addr = mmap(...)`)', async () => {
    // the exit tests the field the mmap() result went to: that mmap() failed, there is nothing to munmap()
    const after = edit(
      BASE,
      MAP_THEN_REGION,
      '    name = g_strdup_printf("fx-notifier-%d", idx);\n' +
        '    memory_region_init_ram_device_ptr(&n->mr, OBJECT(d), name, d->page_size, d->shared_page);\n' +
        '    g_free(name);\n\n' +
        '    n->addr = mmap(NULL, d->page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, idx * d->page_size);\n' +
        '    if (n->addr == MAP_FAILED) {\n        object_unparent(OBJECT(&n->mr));\n        return -1;\n    }\n',
    );
    expect(await lintChange(BASE, after)).toEqual([]);
  });
});
