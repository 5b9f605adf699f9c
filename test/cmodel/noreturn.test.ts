import { describe, expect, it } from 'vitest';
import { noReturnDeclarations } from '../../src/cmodel/noreturn.js';

describe('noreturn declarations', () => {
  it('reads the name after GLib, QEMU and C11 noreturn marks, past other attribute macros and line breaks', () => {
    const text = `
G_NORETURN void fx_fatal(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static G_NORETURN G_GNUC_PRINTF(2, 3)
void fx_die(FxState *s, const char *fmt, ...)
{
    abort();
}
QEMU_NORETURN void fx_quit(int code);
_Noreturn static void fx_halt(void);
void __attribute__((noreturn)) fx_jump_out(jmp_buf env, int val);
G_NORETURN
void fx_fatal(const char *fmt, ...);
`;
    expect(noReturnDeclarations(text)).toEqual(['fx_fatal', 'fx_die', 'fx_quit', 'fx_halt', 'fx_jump_out']);
  });

  it('reads nothing from a file with no mark, nor from a mark named in a comment with no declaration after it', () => {
    expect(noReturnDeclarations('void fx_stop(FxState *s);\nstatic int fx_run(void) { return 0; }\n')).toEqual([]);
    expect(noReturnDeclarations('/* not marked G_NORETURN */\nint x;\n')).toEqual([]);
  });
});
