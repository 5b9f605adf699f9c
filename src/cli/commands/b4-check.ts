/**
 * `pairlint b4-check`: the external check command for `b4 review`
 * (`review-perpatch-check-cmd = pairlint b4-check`). See src/b4/check.ts.
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runB4Check } from '../../b4/check.js';
import type { CliIO } from '../main.js';
import { packageVersion } from '../../version.js';

export function registerB4Check(program: Command, io: CliIO, setCode: (c: number) => void): void {
  program
    .command('b4-check')
    .description(
      'external check for `b4 review`: one patch mail on stdin, a JSON array of {tool, status, summary, details} on stdout ' +
        '(reads B4_TRACKING_FILE when set; a cover letter prints [])',
    )
    .option('--config <file>', 'config file (default: .pairlint.json at the repository root)')
    .option('--tool <name>', "column header in b4's results matrix", 'pairlint')
    .action(async (opts: { config?: string; tool: string }) => {
      const dir = program.opts<{ C?: string }>().C;
      const cwd = dir ? resolve(io.cwd, dir) : io.cwd;
      const outcome = await runB4Check({
        stdin: io.readStdin(),
        cwd,
        env: io.env,
        config: opts.config ? resolve(io.cwd, opts.config) : null,
        tool: opts.tool,
        version: packageVersion(),
      });
      io.stdout(JSON.stringify(outcome.results, null, 2) + '\n');
      // an input the check could not read is also said on stderr, in the one line every error gets
      const failed = outcome.code !== 0 ? outcome.results[0]?.details?.split('\n')[0] : undefined;
      if (failed) io.stderr(failed + '\n');
      setCode(outcome.code);
    });
}
