// V8 settings for pairlint's runs, imported first by bin/pairlint.js (and by
// the benchmark's child, so it measures the same thing). Measured in README
// "Performance":
//  - --liftoff-only: compile the C grammar's wasm with the baseline compiler
//    only; in a hook run the optimizing tier would only finish after the run;
//  - --max-lazy: compile JS functions only when first called;
//  - --max-semi-space-size=32 (MiB): a young generation that holds a
//    commit's models, so fewer scavenges (a 1,000-commit range: 1.9 s to
//    1.7 s; a --staged run: 160 ms to 150 ms);
//  - --heap-growing-percent=70: the old generation may grow to 1.7 times
//    what the last full collection kept, not up to 4 times: a range makes
//    garbage fast (every file image, parsed twice), and on the hw/vfio
//    history (live data ~30 MiB) peak RSS went from 245-330 MiB to
//    185 MiB, with no change in wall time beyond this machine's noise.
//    Read at every collection, so it can be set here, unlike
//    --max-old-space-size (a hard cap, which a large input would hit).
// They are V8 flags, so they are only set on the Node versions they were
// measured on (an unknown flag makes V8 print an error).
import { setFlagsFromString } from 'node:v8';

const major = Number(process.versions.node.split('.')[0]);
if (major >= 20 && major <= 24) {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--max-lazy');
  setFlagsFromString('--max-semi-space-size=32');
  setFlagsFromString('--heap-growing-percent=70');
}
