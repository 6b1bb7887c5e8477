"""The ``imapkey`` command line: the same operations the browser extension uses.

One module per command (``add_parser`` and ``run``), ``render`` for everything shown,
``options`` for the options and prompts commands share, ``exitcodes`` for the one table of
exit statuses. Command modules are imported to build the parser, but each imports what its
work needs only when it runs.

No traceback ever reaches the user: ``main`` turns every error into one or two lines saying
what to do (JSON with --json), and logs where an unexpected one happened — never its text,
which may quote a secret. Passwords never come from argv: they come from a no-echo prompt or,
with ``--password-stdin``, from the first line of standard input.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import NoReturn, cast

from imapkey import __version__
from imapkey.cli import exitcodes, render
from imapkey.cli.options import UsageError, newline_on_terminal

# Command name → "module:function" that runs it; imported only when that command runs.
COMMANDS: dict[str, str] = {
    "check": "imapkey.cli.check:run",
    "suggest": "imapkey.cli.suggest:run",
    "save": "imapkey.cli.save:run",
    "list": "imapkey.cli.list_accounts:run",
    "delete": "imapkey.cli.delete:run",
    "recheck": "imapkey.cli.recheck:run",
    "password": "imapkey.cli.password:run",
    "snippet": "imapkey.cli.snippet:run",
    "install": "imapkey.install.commands:cmd_install",
    "uninstall": "imapkey.install.commands:cmd_uninstall",
    "doctor": "imapkey.install.commands:cmd_doctor",
    "completion": "imapkey.cli.completion:run",
}

# The modules whose ``add_parser`` adds a command, in the order ``--help`` lists them
# (install, uninstall and doctor come from imapkey.install.commands, before completion).
PARSERS = (
    "imapkey.cli.check",
    "imapkey.cli.suggest",
    "imapkey.cli.save",
    "imapkey.cli.list_accounts",
    "imapkey.cli.delete",
    "imapkey.cli.recheck",
    "imapkey.cli.password",
    "imapkey.cli.snippet",
)


class Parser(argparse.ArgumentParser):
    """argparse, with its errors raised so ``main`` renders them (as JSON with --json)."""

    def error(self, message: str) -> NoReturn:
        # "argument --timeout: …" reads as "--timeout: …"; a positional's name adds nothing
        # to our sentences ("'x' is not an email address").
        message = message.replace("argument COMMAND: invalid choice: ", "unknown command ", 1)
        message = message.replace("invalid choice: ", "not a choice: ", 1)
        message = re.sub(r"^argument (-[^:]+): ", r"\1: ", message)
        message = re.sub(r"^argument [^-][^:]*: ", "", message)
        command = self.prog.removeprefix("imapkey").strip()
        raise UsageError(
            f"{command}: {message}" if command else message,
            f"See: {self.prog} --help",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="imapkey",
        description="Check IMAP app passwords against the real server and keep them in the "
        "system keyring.",
        epilog=exitcodes.epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"imapkey {__version__}", help="show the version"
    )
    commands = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", metavar="COMMAND"),
    )
    for name in PARSERS:
        import_module(name).add_parser(commands)

    from imapkey.install.commands import add_parsers

    add_parsers(commands)
    import_module("imapkey.cli.completion").add_parser(commands)
    return parser


def handler(command: str) -> Callable[[argparse.Namespace], int]:
    module, _, function = COMMANDS[command].partition(":")
    run: Callable[[argparse.Namespace], int] = getattr(import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way out is a status from ``exitcodes``."""
    from imapkey.hardening import no_core_dumps

    no_core_dumps()  # a crash while a password is in memory must not write it to disk
    words = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in words
    try:
        try:
            status = _run(words, as_json)
        except SystemExit as exc:  # --help and --version end through argparse's exit
            status = exc.code if isinstance(exc.code, int) else exitcodes.OK
        sys.stdout.flush()  # inside the try: a closed pipe must surface here, not at exit
        return status
    except BrokenPipeError:
        # The Python documentation's recipe: point stdout at devnull so the interpreter's
        # own flush at exit cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exitcodes.PIPE_CLOSED
    except KeyboardInterrupt:
        newline_on_terminal()
        if as_json:
            render.error("Interrupted.", "", "cancelled", as_json=True)
        return exitcodes.INTERRUPTED


def _run(words: list[str], as_json: bool) -> int:
    from imapkey.errors import ImapkeyError

    parser = build_parser()
    from imapkey.cli.completion import autocomplete

    autocomplete(parser)
    try:
        args = parser.parse_args(words)
    except UsageError as exc:
        render.error(exc.message, exc.hint, exc.code, as_json)
        return exitcodes.USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return exitcodes.USAGE
    from imapkey import logsetup

    logsetup.configure("cli")
    try:
        return handler(args.command)(args)
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except ImapkeyError as exc:
        render.error(render.safe(exc.message), render.safe(exc.hint), exc.code, as_json)
        return exitcodes.for_error(exc.code)
    except Exception as exc:
        return _unexpected(exc, args.command, as_json)


def _unexpected(exc: Exception, command: str, as_json: bool) -> int:
    """An error nobody turned into words: say what to do, log where it happened."""
    from pydantic import ValidationError

    from imapkey.errors import INTERNAL_ERROR, INVALID_REQUEST, STORAGE_ERROR

    if isinstance(exc, ValidationError):
        from imapkey.protocol import describe

        render.error(
            f"Some input is not valid ({describe(exc)}).",
            f"See: imapkey {command} --help",
            INVALID_REQUEST,
            as_json,
        )
        return exitcodes.USAGE
    if isinstance(exc, ValueError | FileNotFoundError) and _raised_in(exc, "imapkey.install."):
        # The installer words these for people ("Firefox has no system-wide folder on …").
        render.error(render.safe(exc), "See: imapkey install --help", INVALID_REQUEST, as_json)
        return exitcodes.USAGE
    if isinstance(exc, OSError) and (exc.filename or exc.strerror):
        where = f" {render.safe(exc.filename)}" if exc.filename else ""
        render.error(
            f"Could not use{where}: {exc.strerror or type(exc).__name__}.",
            "Check that the path is right, its folders exist and you may write there.",
            STORAGE_ERROR,
            as_json,
        )
        return exitcodes.STORAGE
    import logging
    import traceback

    from imapkey.logsetup import log_path

    frames = "".join(traceback.format_tb(exc.__traceback__))
    logging.getLogger("imapkey.cli").error(
        "unexpected %s in %s\n%s", type(exc).__name__, command, frames
    )
    render.error(
        f"Something went wrong inside imapkey ({type(exc).__name__}).",
        f"Please report it with the end of {log_path('cli')}",
        INTERNAL_ERROR,
        as_json,
    )
    return exitcodes.INTERNAL


def _raised_in(exc: BaseException, package: str) -> bool:
    """Whether ``exc`` was raised by code in ``package`` (its innermost frame)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(tb.tb_frame.f_globals.get("__name__", "")).startswith(package)
