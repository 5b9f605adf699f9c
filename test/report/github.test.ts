/** --format github: workflow commands and GitHub's escaping rules. */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { annotationMessage, escapeData, escapeProperty, githubReporter, workflowCommand } from '../../src/report/github.js';
import { finding, lintResult, runClean, runExample } from './helpers.js';

describe('escaping', () => {
  it('escapes %, CR and LF in data, % first', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeData('%0A is not a newline')).toBe('%250A is not a newline');
  });

  it('escapes : and , as well in properties', () => {
    expect(escapeProperty('C:\\dir,x%\n')).toBe('C%3A\\dir%2Cx%25%0A');
  });

  it('a finding with hostile text stays one line and one command', () => {
    const f = finding({
      ruleId: 'skip-asymmetry',
      file: 'hw/a,b:c%.c',
      message: 'first line\nsecond line ::error file=x::fake\r50%',
      related: [],
    });
    const line = workflowCommand(f);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe(
      '::error file=hw/a%2Cb%3Ac%25.c,line=617,endLine=621,title=pairlint skip-asymmetry::' +
        'first line%0Asecond line ::error file=x::fake%0D50%25',
    );
  });
});

describe('commands', () => {
  it('warning → ::warning, info → ::notice, no endLine when unknown', () => {
    expect(workflowCommand(finding({ severity: 'warning', endLine: undefined, related: [] }))).toMatch(
      /^::warning file=hw\/vfio\/listener\.c,line=617,title=pairlint skip-asymmetry::/,
    );
    expect(workflowCommand(finding({ severity: 'info', related: [] }))).toMatch(/^::notice /);
  });

  it('a commit-message finding is an annotation without a file (GitHub shows it on the run)', () => {
    const f = finding({ ruleId: 'signed-off-by', category: 'commit', file: 'COMMIT_MSG', line: 3, endLine: undefined, function: null, related: [], message: 'no sign-off' });
    expect(workflowCommand(f)).toBe('::error title=pairlint signed-off-by::commit message of 1/2 memory: Allow skipping (a5c3e94b0627), line 3: no sign-off');
  });

  it('puts related locations into the message: the other side, or see also', () => {
    const msg = annotationMessage(
      finding({
        related: [
          { file: 'hw/vfio/listener.c', line: 757, function: 'vfio_listener_region_del', message: 'still unmaps' },
          { file: 'hw/vfio/listener.c', line: 623, function: 'vfio_container_region_add', message: 'the skipped map' },
        ],
      }),
    );
    expect(msg.split('\n')).toEqual([
      'region_add skips the map, region_del still unmaps',
      'other side: hw/vfio/listener.c:757: still unmaps',
      'see also: hw/vfio/listener.c:623: the skipped map',
    ]);
  });

  it('the example: one ::error command and a plain summary line', async () => {
    const run = await runExample('github');
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=hw\/demo\/listener\.c,line=48,endLine=51,title=pairlint skip-asymmetry::demo_listener_region_add\(\) now returns/);
    expect(lines[0]).toContain('%0Aother side: hw/demo/listener.c:83: ');
    expect(lines[1]).toBe('pairlint: 1 error, 0 warnings, 0 infos in 1 commit (1 C file checked)');
  });

  it('a clean run has no command, only the summary', async () => {
    const run = await runClean('github');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('pairlint: 0 errors, 0 warnings, 0 infos in 1 commit (1 C file checked)\n');
    expect(githubReporter.format(lintResult([]), { color: false, rules: RULES, cwd: '/' })).not.toMatch(/^::/m);
  });
});
