/**
 * Differential pair balance, early exits that skip nothing the other side
 * undoes: a skip on one side guarded by state the acquire side records, and
 * early exits on which nothing was there to acquire (a lookup that missed, a
 * constructor that made nothing). Each silent test has a sibling that makes a
 * real skip in the same fixture, so it cannot pass by the rule going silent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';
import { SOB } from '../support/messages.js';

afterAll(cleanupTempDirs);

const fx = (name: string) => fixture(`rules/differential/${name}`);

/** Lint the one commit that turns `base` into `after` at `path`; its pair findings. */
async function lintChange(path: string, base: string, after: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [path]: base });
  repo.commit(`change\n\n${SOB}`, { [path]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.category === 'pair');
}

/** Put `lines` (indented C, newline-terminated) before the line holding `before`. */
function insertBefore(text: string, before: string, lines: string): string {
  return edit(text, before, lines + before);
}

const brief = (findings: Awaited<ReturnType<typeof lintChange>>) => findings.map((f) => [f.ruleId, f.function, f.line]);

describe('a skip guarded by state the acquire side records', () => {
  const PATH = 'hw/fx/fx-intx.c';
  const KVM = fx('state-guard.c');
  const GUARD = '    if (!pdev->intx.kvm_accel) {\n        return;\n    }\n';
  // The same file before the disable side learnt to test kvm_accel: it cleans up unconditionally.
  const UNGUARDED = edit(KVM, GUARD, '');
  const ROUTE_SKIP = '    if (!fx_intx_routable(p)) {\n        return;\n    }\n';
  const NEW_INIT_SKIP = (text: string) => insertBefore(text, '    fx_intx_mask(p);\n    if (event_notifier_init(unmask', ROUTE_SKIP);

  it('is silent on a new early return before the init when the release side tests kvm_accel', async () => {
    // Returning before the init also returns before `intx->kvm_accel = true`, and the
    // disable side returns unless kvm_accel is set: it undoes only what was done.
    expect(await lintChange(PATH, KVM, NEW_INIT_SKIP(KVM))).toEqual([]);
  });

  it('still reports that early return when the release side cleans up unconditionally', async () => {
    const after = NEW_INIT_SKIP(UNGUARDED);
    expect(brief(await lintChange(PATH, UNGUARDED, after))).toEqual([
      ['skip-asymmetry', 'fx_intx_enable_kvm', lineOf(after, 'fx_intx_routable')],
    ]);
  });

  it('is silent on a new early return on the release side testing the field the acquire side records', async () => {
    expect(await lintChange(PATH, UNGUARDED, KVM)).toEqual([]);
  });

  it('still reports a new early return on the release side testing something the acquire side never records', async () => {
    const after = insertBefore(UNGUARDED, '    fx_intx_mask(pdev);\n    fx_kvm_irqchip_remove_irqfd', '    if (fx_intx_is_shared(pdev)) {\n        return;\n    }\n');
    expect(brief(await lintChange(PATH, UNGUARDED, after))).toEqual([
      ['skip-asymmetry', 'fx_intx_disable_kvm', lineOf(after, 'fx_intx_is_shared')],
    ]);
  });
});

describe('a lookup that missed', () => {
  const PATH = 'hw/fx/fx-bar.c';
  const BARS = fx('lookup.c');
  const AT_MAP = '    memory_region_add_subregion(&s->bar_space';

  it('is silent on a new `if (!bar) return;` after the lookup, before the acquire', async () => {
    const after = insertBefore(BARS, AT_MAP, '    if (!bar) {\n        return;\n    }\n');
    expect(await lintChange(PATH, BARS, after)).toEqual([]);
  });

  it('still reports a new early return for a BAR that is there', async () => {
    const after = insertBefore(BARS, AT_MAP, '    if (fx_bar_is_hidden(bar)) {\n        return;\n    }\n');
    expect(brief(await lintChange(PATH, BARS, after))).toEqual([['skip-asymmetry', 'fx_bar_map', lineOf(after, 'fx_bar_is_hidden')]]);
  });
});

describe('a constructor that made nothing', () => {
  const PATH = 'hw/fx/fx-container.c';
  const CTORS = fx('constructor.c');

  it('is silent on a new `return NULL;` before the object is made', async () => {
    const after = insertBefore(
      CTORS,
      '    m = g_new0(FxMapping, 1);\n',
      '    if (!fx_container_covers(c, iova, size)) {\n        return NULL;\n    }\n',
    );
    expect(await lintChange(PATH, CTORS, after)).toEqual([]);
  });

  it('is silent on a new `return false;` before the acquire', async () => {
    const after = insertBefore(
      CTORS,
      '    vfio_container_add_section_window(',
      '    if (!fx_window_fits(c, w)) {\n        return false;\n    }\n',
    );
    expect(await lintChange(PATH, CTORS, after)).toEqual([]);
  });

  it('is silent on a new `if (fd < 0) return fd;` before the acquire', async () => {
    const after = insertBefore(CTORS, '    g->fd = fd;\n', '    if (fd < 0) {\n        return fd;\n    }\n');
    expect(await lintChange(PATH, CTORS, after)).toEqual([]);
  });

  it('still reports a constructor that now returns success without acquiring', async () => {
    const after = insertBefore(
      CTORS,
      '    vfio_container_add_section_window(',
      '    if (fx_window_is_default(w)) {\n        return true;\n    }\n',
    );
    expect(brief(await lintChange(PATH, CTORS, after))).toEqual([
      ['skip-asymmetry', 'fx_window_setup', lineOf(after, 'fx_window_is_default')],
    ]);
  });
});
