#!/usr/bin/env node
// Launcher of the CLI bundle build/cli/pairlint.js (made by `npm run build`,
// which `npm ci` runs through `prepare`).
//
// A pairlint run in a hook is short: most of it used to be starting up.
// These V8 settings are measured in README "Performance" (a --staged run of a
// 2,500-line file: 226 ms to 154 ms): compile the C grammar's wasm with the
// baseline compiler only (the optimizing tier would finish after the run),
// and compile JS functions only when first called. They are V8 flags, so
// only set on the Node versions they were measured on (an unknown flag makes
// V8 print an error).
import { setFlagsFromString } from 'node:v8';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 20 && major <= 24) {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--max-lazy');
}
import('../build/cli/pairlint.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => { process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`pairlint: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  });
