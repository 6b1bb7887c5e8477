"""``imapkey-host``: the process a browser spawns for our extension (see docs/PROTOCOL.md).

Start-up is on the user's critical path, so this module imports almost nothing itself: it
settles the process (plugins off, binary stdio, logging), checks the caller, then hands the
port to ``imapkey.server``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if "--version" in args:
        from imapkey import __version__

        sys.stdout.write(f"imapkey-host {__version__}\n")
        sys.stdout.flush()
        return
    if os.isatty(0):  # a browser always gives a pipe: a person typed this in a terminal
        sys.stderr.write(
            "imapkey-host is started by your browser for the imapkey extension and speaks\n"
            "the browser's binary native messaging protocol: it is not for running by hand.\n"
            "  To test that your browsers can reach it, run: imapkey doctor\n"
        )
        sys.exit(2)
    # pydantic scans every installed distribution for plugins when the first model is built;
    # the host uses none, and the scan (and even importing the scanner) is pure start-up cost.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from imapkey.quickstart import skip_plugin_scan

    skip_plugin_scan()
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    if sys.platform == "win32":  # pragma: no cover - binary mode matters only on Windows
        import msvcrt

        msvcrt.setmode(inp.fileno(), os.O_BINARY)
        msvcrt.setmode(out.fileno(), os.O_BINARY)

    from imapkey import logsetup
    from imapkey.hardening import no_core_dumps
    from imapkey.origin import caller_from_argv, is_allowed
    from imapkey.server import Host, deny, log, log_unexpected

    no_core_dumps()
    logsetup.configure("host")
    caller = caller_from_argv(args)
    if not is_allowed(caller):
        deny(out)
        log.warning("refused caller %s %s", caller.browser, caller.extension_id)
        _exit(1)
    try:
        code = Host(out, caller.browser).serve(inp)
    except Exception as exc:  # the reader itself failed: log it, never a traceback on stderr
        log_unexpected(exc, "reader")
        code = 1
    _exit(code)


def _exit(code: int) -> None:
    """Exit now: worker threads stuck in network I/O must not hold the process open."""
    import logging

    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    main()
