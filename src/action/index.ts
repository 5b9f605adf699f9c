/**
 * Entry point of the GitHub Action (bundled into dist/index.js by
 * scripts/build-action.mjs; action.yml runs it with node24).
 */
import { runAction } from './run.js';

runAction(process.env, { stdout: (line) => process.stdout.write(line + '\n'), cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stdout.write(`::error title=pairlint::pairlint: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
