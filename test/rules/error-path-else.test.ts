/**
 * error-path-leak: an acquire tested in an `if` whose block reports the error
 * and whose else block always leaves on success (`if (attach(...)) { report }
 * else { goto found; }`) is not held after the `if`: an error exit after it
 * does not leak it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../git/helpers.js';
import { pairFindingsOf } from '../support/commit.js';
import { edit, fixture } from '../support/fixtures.js';

afterAll(cleanupTempDirs);

const BASE = fixture('causes/connect.c');
const PATH = 'hw/fx/connect.c';
const AT = '    r = fx_region_new(sp);\n';
/** The commit adds the whole file (its pre-image leaked nothing yet). */
const NEW_FILE = { 'hw/fx/other.c': '/* another file */\n' };

describe('error-path-leak after an attach tried in a loop', () => {
  it('is silent on a new error exit after the loop whose attaches all failed', async () => {
    const after = edit(
      edit(BASE, AT, '    if (fx_space_full(sp)) {\n        error_setg(errp, "full");\n        goto err_full;\n    }\n' + AT),
      'err_register:\n    fx_region_free(r);\n',
      'err_register:\n    fx_region_free(r);\nerr_full:\n',
    );
    const found = (await pairFindingsOf(NEW_FILE, { [PATH]: after })).filter((f) => f.ruleId === 'error-path-leak');
    expect(found.map((f) => f.message.slice(0, 160))).toEqual([]);
  });

  it('still fires when the attach in the loop succeeds and carries on to the error exit', async () => {
    const base = BASE.replace('            error_report_err(err);\n            err = NULL;\n        } else {\n            goto found;\n        }', '            error_report_err(err);\n            err = NULL;\n        } else {\n            break;\n        }');
    const after = edit(
      edit(base, AT, '    if (fx_space_full(sp)) {\n        error_setg(errp, "full");\n        goto err_full;\n    }\n' + AT),
      'err_register:\n    fx_region_free(r);\n',
      'err_register:\n    fx_region_free(r);\nerr_full:\n',
    );
    const found = (await pairFindingsOf(NEW_FILE, { [PATH]: after })).filter((f) => f.ruleId === 'error-path-leak');
    expect(found.map((f) => f.function)).toEqual(['fx_dev_connect']);
    expect(found[0]?.message).toMatch(/memory_region_register_iommu_notifier\(\)/);
  });
});
