"""The ``imapkey`` command line: the same operations the browser extension uses.

One module per command (``add_parser`` and ``run``), ``render`` for everything shown,
``exitcodes`` for the one table of exit statuses. Command modules are imported to build the
parser, but each imports what its work needs only when it runs.

Passwords are never taken from argv: they come from a no-echo prompt or, with
``--password-stdin``, from the first line of standard input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import import_module

from imapkey import __version__
from imapkey.cli import exitcodes, render

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
}

# The modules whose ``add_parser`` adds a command, in the order ``--help`` lists them.
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imapkey",
        description="Check IMAP app passwords against the real server and keep them in the "
        "system keyring.",
    )
    parser.add_argument("--version", action="version", version=f"imapkey {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in PARSERS:
        import_module(name).add_parser(commands)

    from imapkey.install.commands import add_parsers

    add_parsers(commands)
    return parser


def handler(command: str) -> Callable[[argparse.Namespace], int]:
    module, _, function = COMMANDS[command].partition(":")
    run: Callable[[argparse.Namespace], int] = getattr(import_module(module), function)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return exitcodes.USAGE
    from pydantic import ValidationError

    from imapkey import logsetup
    from imapkey.errors import ImapkeyError
    from imapkey.protocol import describe

    logsetup.configure("cli")
    try:
        return handler(args.command)(args)
    except ValidationError as exc:
        render.error(f"invalid input: {describe(exc)}")
        return exitcodes.USAGE
    except ImapkeyError as exc:
        render.error(exc.message, exc.hint)
        return exitcodes.USAGE
    except (ValueError, FileNotFoundError) as exc:
        render.error(str(exc))
        return exitcodes.USAGE
    except KeyboardInterrupt:
        return 130
