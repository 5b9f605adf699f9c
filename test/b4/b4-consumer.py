#!/usr/bin/env python3
"""Feed mails to a check command through b4's own consumer code.

Loads b4 0.16's src/b4/review/checks.py in place (path in argv[1]) with small
stand-ins for the two b4 helpers it calls (b4._run_command, which runs the
command with the mail on stdin in the given directory, and
b4.LoreMessage.get_msg_as_bytes), then runs run_perpatch_checks (or
run_series_checks with --series) on each mail file and prints
{file: [result, ...]} as JSON.

usage: b4-consumer.py CHECKS_PY TOPDIR CMD [--series] [--tracking FILE] MAIL...
"""
import email
import email.policy
import importlib.util
import json
import subprocess
import sys
import types


def load_checks(path):
    b4 = types.ModuleType('b4')

    def _run_command(cmdargs, stdin=None, rundir=None):
        p = subprocess.run(cmdargs, input=stdin, cwd=rundir, capture_output=True)
        return p.returncode, p.stdout, p.stderr

    class LoreMessage:
        @staticmethod
        def get_msg_as_bytes(msg):
            return msg.as_bytes(policy=email.policy.SMTP.clone(linesep='\n'))

    b4._run_command = _run_command
    b4.LoreMessage = LoreMessage
    b4.get_main_config = lambda: {}
    sys.modules['b4'] = b4
    try:
        import requests  # noqa: F401
    except ImportError:
        req = types.ModuleType('requests')
        req.RequestException = Exception
        sys.modules['requests'] = req
    spec = importlib.util.spec_from_file_location('b4_review_checks', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    args = sys.argv[1:]
    checks_py, topdir, cmd = args[0], args[1], args[2]
    rest = args[3:]
    series = False
    extra_env = None
    mails = []
    i = 0
    while i < len(rest):
        if rest[i] == '--series':
            series = True
        elif rest[i] == '--tracking':
            extra_env = {'B4_TRACKING_FILE': rest[i + 1]}
            i += 1
        else:
            mails.append(rest[i])
        i += 1
    checks = load_checks(checks_py)
    out = {}
    for path in mails:
        with open(path, 'rb') as fp:
            msg = email.message_from_binary_file(fp, policy=email.policy.default)
        msgid = msg.get('message-id', path)
        if series:
            out[path] = checks.run_series_checks((msgid, msg), [cmd], topdir, extra_env=extra_env)
        else:
            out[path] = checks.run_perpatch_checks([(msgid, msg)], [cmd], topdir, extra_env=extra_env)[msgid]
    json.dump(out, sys.stdout, indent=2)


if __name__ == '__main__':
    main()
