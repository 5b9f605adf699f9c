/**
 * `pairs.heapAllocations`, `pairs.ownership` and `pairs.noReturn` in the config extend
 * builtin.json's lists, end to end: a real CLI run on a commit of a fresh
 * repository, once without and once with a config file, and the finding
 * appears or disappears. A config of the wrong shape is one line, exit 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_IDS, RULE_OPTION_SPECS } from '../../rules/index.js';
import { resolveConfig, validateConfig } from '../../src/config/load.js';
import { TestRepo, cleanupTempDirs } from '../git/helpers.js';
import { REPO_ROOT, runCli, runJson } from '../support/cli.js';
import { edit, fixture } from '../support/fixtures.js';
import { SOB, configFile } from '../support/messages.js';

afterAll(cleanupTempDirs);

const DEV = fixture('config-tables/fx-dev.c');
const BAR = fixture('config-tables/fx-bar.c');

/** A repository with `base`, then `after` committed on top of it. */
function repoOf(path: string, base: string, after: string): TestRepo {
  const repo = TestRepo.create();
  repo.commit('base', { [path]: base });
  repo.commit(`hw/fx: change\n\n${SOB}`, { [path]: after });
  return repo;
}

const lint = (repo: TestRepo, config?: string) => runJson(['HEAD~1..HEAD', '-C', repo.dir, ...(config ? ['--config', config] : [])]);
const rules = (r: { findings: { ruleId: string; function: string | null }[] }) => r.findings.map((f) => `${f.ruleId}@${f.function}`);

describe('pairs.heapAllocations', () => {
  // realize keeps what the device's own allocator returns in a field unrealize never frees
  const after = edit(DEV, '    s->buf = g_malloc0(s->size);\n', '    s->buf = g_malloc0(s->size);\n    s->regs = fx_regs_new(s->nregs);\n');

  it('an allocator the builtin list does not know: no field-leak', async () => {
    const run = await lint(repoOf('hw/fx/fx-dev.c', DEV, after));
    expect(run.stderr).toBe('');
    expect(rules(run)).not.toContain('field-leak@fx_realize');
  });

  it('named in the config: field-leak reports the field, builtin allocators still count', async () => {
    const repo = repoOf('hw/fx/fx-dev.c', DEV, after);
    const run = await lint(repo, configFile({ pairs: { heapAllocations: ['fx_regs_new'] } }));
    expect(run.stderr).toBe('');
    const leak = run.findings.find((f) => f.ruleId === 'field-leak');
    expect(leak?.function).toBe('fx_realize');
    expect(leak?.message).toMatch(/fx_regs_new\(\) allocation in `s->regs`/);
    // g_malloc0 (builtin) stays an allocation: the freed s->buf is the other field the message names
    expect(leak?.message).toMatch(/releases `buf`/);
  });
});

describe('pairs.ownership', () => {
  // exit stops taking the subregion out of the container realize made
  const after = edit(BAR, '    memory_region_del_subregion(&s->bar, &s->regs);\n', '');

  it('a container made by a creation the builtin list does not know: the dropped del is reported', async () => {
    const run = await lint(repoOf('hw/fx/bar.c', BAR, after));
    expect(run.stderr).toBe('');
    expect(rules(run)).toContain('call-asymmetry@fx_fn_exit');
  });

  it('the creation named in ownership.creates: the container has an owner, the subregion goes with it, no finding', async () => {
    const run = await lint(repoOf('hw/fx/bar.c', BAR, after), configFile({ pairs: { ownership: { creates: ['fx_container_init'] } } }));
    expect(run.stderr).toBe('');
    expect(rules(run)).toEqual([]);
  });

  it('...unless the container roots an address space (ownership.roots, a glob): reported again', async () => {
    const rooted = (text: string) => edit(text, '    pci_register_bar(', '    fx_as_setup(&s->as, &s->bar, "fx-as");\n    pci_register_bar(');
    const config = configFile({ pairs: { ownership: { creates: ['fx_container_init'], roots: ['fx_as_*'] } } });
    const run = await lint(repoOf('hw/fx/bar.c', rooted(BAR), rooted(after)), config);
    expect(run.stderr).toBe('');
    expect(rules(run)).toContain('call-asymmetry@fx_fn_exit');
  });
});

describe('a config of the wrong shape', () => {
  const repo = () => repoOf('hw/fx/bar.c', BAR, BAR.replace('0x4000', '0x8000'));
  const cases: [unknown, RegExp][] = [
    [{ pairs: { heapAllocations: 'fx_regs_new' } }, /"pairs\.heapAllocations" must be an array, got a string$/],
    [{ pairs: { heapAllocations: ['fx_regs_new', ''] } }, /"pairs\.heapAllocations\[1\]" must be a non-empty string, got an empty string$/],
    [{ pairs: { ownership: ['fx_container_init'] } }, /"pairs\.ownership" must be an object, got an array$/],
    [{ pairs: { ownership: { owners: ['x'] } } }, /"pairs\.ownership\.owners" is not a known key \(expected one of: adds, creates, roots\)$/],
    [{ pairs: { ownership: { roots: [1] } } }, /"pairs\.ownership\.roots\[0\]" must be a non-empty string, got a number$/],
  ];
  it.each(cases.map(([c, re]) => [JSON.stringify(c), c, re] as const))('%s: one line naming the key, exit 2', async (_, config, re) => {
    const run = await runCli(['HEAD~1..HEAD', '-C', repo().dir, '--config', configFile(config)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pairlint: .*pairlint\.json: /);
    expect(lines[0]).toMatch(re);
  });
});

describe('pairs.noReturn', () => {
  // a free, then a call that ends the emulator, then a read of the freed parts on the way past the block
  const base = `static void fx_parse(FxMachine *m, const char *spec)
{
    char **parts = g_strsplit(spec, ",", 2);

    m->model = fx_model_by_name(parts[0]);
    m->features = g_strdup(parts[1]);
    g_strfreev(parts);
}
`;
  const after = edit(base, '    m->model = fx_model_by_name(parts[0]);\n', '    m->model = fx_model_by_name(parts[0]);\n    if (!m->model) {\n        g_strfreev(parts);\n        fx_fatal("bad model");\n    }\n');

  it('a call the tree does not declare G_NORETURN is one that returns: the read after the free is reported', async () => {
    const run = await lint(repoOf('hw/fx/fx-parse.c', base, after));
    expect(run.stderr).toBe('');
    expect(rules(run)).toContain('used-after-release@fx_parse');
  });

  it('named in the config, the call ends the path: no finding', async () => {
    const run = await lint(repoOf('hw/fx/fx-parse.c', base, after), configFile({ pairs: { noReturn: ['fx_fatal'] } }));
    expect(run.stderr).toBe('');
    expect(rules(run)).not.toContain('used-after-release@fx_parse');
  });
});

describe("the README's config example", () => {
  it('is a valid config: every key it shows, heapAllocations, ownership and failedAcquireSlots included, is read', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Configuration\n'));
    const example = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const config = validateConfig(JSON.parse(example as string), 'README.md', RULE_IDS, RULE_OPTION_SPECS);
    expect(config.pairs?.heapAllocations).toEqual(['my_buf_new']);
    expect(config.pairs?.ownership).toEqual({ adds: ['my_container_attach'], creates: ['my_container_init'], roots: ['my_as_init'] });
    const table = resolveConfig(config, 'README.md').pairs;
    expect(table.isHeapAllocation('my_buf_new') && table.isHeapAllocation('g_malloc0')).toBe(true);
    expect(table.ownership.isCreate('my_container_init') && table.ownership.isCreate('memory_region_init_io')).toBe(true);
    // a slot whose failure skips its release slot: the config's and the built-in one
    expect(table.releaseSkippedOnFailure('my_open') && table.releaseSkippedOnFailure('realize')).toBe(true);
    expect(table.releaseSkippedOnFailure('start')).toBe(false);
    expect(table.endsProgram('my_fatal') && table.endsProgram('exit')).toBe(true);
  });
});
