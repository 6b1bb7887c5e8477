"""``imapkey password``: print a stored password, for a mail client's password command."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    password = commands.add_parser(
        "password",
        help="print a saved password (for a mail client's PassCmd)",
        description="Print the stored password on stdout: the only command that ever does.",
    )
    password.add_argument("email")
    password.add_argument("--host")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    sys.stdout.write(accounts.stored_password(args.email, args.host) + "\n")
    return exitcodes.OK
