"""``imapkey password``: print a stored password, for a mail client's password command."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, options


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    password = commands.add_parser(
        "password",
        help="print a saved password (for a mail client's PassCmd)",
        description="Print the stored password on stdout: the only command that ever does. "
        "Exit status 1 when there is no such account, 3 when the keyring is locked or "
        "unavailable, so a mail client's password command can tell them apart.",
    )
    options.add_email(password, help="the saved address")
    password.add_argument(
        "--host", type=options.host, help="the account on this server (when there are several)"
    )


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    sys.stdout.write(accounts.stored_password(args.email, args.host) + "\n")
    return exitcodes.OK
