#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in build/ (made by `npm ci` through `prepare`).
import('../build/src/cli/main.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => { process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`pairlint: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 2;
  });
