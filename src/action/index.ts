/**
 * Entry point of the GitHub Action (bundled into dist/index.js by
 * scripts/build-action.mjs; action.yml runs it with node24).
 */
import * as core from '@actions/core';
import { runAction } from './run.js';

runAction(process.env, { cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    core.error(`pairlint: internal error: ${String(err)}`, { title: 'pairlint' });
    process.exitCode = 2;
  },
);
