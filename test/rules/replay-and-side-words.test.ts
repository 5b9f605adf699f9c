/**
 * Replays on any listener or notifier list the pair table marks (here a
 * RamDiscardListener), and twin statements that name their own side in a
 * string (check-asymmetry).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { runJson } from '../support/cli.js';
import { edit, fixture, lineOf } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const PATH = 'hw/fx/discard.c';
const BASE = fixture('rules/discard-manager.c');
const INSERT = '    QLIST_INSERT_HEAD(&rdm->listeners, rdl, next);\n';
const REPLAY = INSERT + '    rdl->notify_populate(rdl, section);\n';

async function findings(after: string, rule: string) {
  const repo = TestRepo.create();
  repo.commit('base', { [PATH]: BASE });
  repo.commit('change', { [PATH]: after });
  return (await runJson(['HEAD~1..HEAD', '-C', repo.dir])).findings.filter((f) => f.ruleId === rule);
}

describe('replay on a notifier list', () => {
  it('fires when register replays notify_populate and unregister replays no notify_discard', async () => {
    const after = edit(BASE, INSERT, REPLAY);
    const found = await findings(after, 'call-asymmetry');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      function: 'fx_rdm_register_listener',
      line: lineOf(after, 'rdl->notify_populate'),
      related: [{ function: 'fx_rdm_unregister_listener', line: lineOf(after, 'static void fx_rdm_unregister_listener') }],
    });
    expect(found[0]?.message).toMatch(/replays \.notify_populate .*replays no \.notify_discard/);
    expect(found[0]?.message).toContain('RamDiscardListener took in notify_populate');
  });

  it('is silent when unregister replays notify_discard too', async () => {
    const after = edit(
      edit(BASE, INSERT, REPLAY),
      '    memory_region_section_free_copy(rdl->section);\n',
      '    rdl->notify_discard(rdl, rdl->section);\n    memory_region_section_free_copy(rdl->section);\n',
    );
    expect(await findings(after, 'call-asymmetry')).toEqual([]);
  });
});

describe('check-asymmetry and the words that name a side', () => {
  it('pairs copies whose strings name their own side, and fires when one is edited', async () => {
    const after = edit(
      BASE,
      'rdm->label = g_strdup_printf("%s register %u", rdm->name, rdm->nr_listeners);',
      'rdm->label = g_strdup_printf("%s register %u/%u", rdm->name, rdm->nr_listeners, rdm->max);',
    );
    const found = await findings(after, 'check-asymmetry');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      function: 'fx_rdm_register_listener',
      line: lineOf(after, '"%s register %u/%u"'),
      related: [{ function: 'fx_rdm_unregister_listener', line: lineOf(after, '"%s unregister %u"') }],
    });
    expect(found[0]?.message).toMatch(/in the same words, but for its own side/);
  });

  it('is silent when both copies change alike', async () => {
    const after = edit(
      edit(BASE, 'rdm->label = g_strdup_printf("%s register %u", rdm->name, rdm->nr_listeners);', 'rdm->label = g_strdup_printf("%s register %u/%u", rdm->name, rdm->nr_listeners, rdm->max);'),
      'rdm->label = g_strdup_printf("%s unregister %u", rdm->name, rdm->nr_listeners);',
      'rdm->label = g_strdup_printf("%s unregister %u/%u", rdm->name, rdm->nr_listeners, rdm->max);',
    );
    expect(await findings(after, 'check-asymmetry')).toEqual([]);
  });
});
