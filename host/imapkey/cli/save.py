"""``imapkey save``: check a password, and keep it in the keyring only if it worked."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, render
from imapkey.cli.options import add_server_flags, read_password, server_from_flags


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    save = commands.add_parser(
        "save",
        help="check a password and keep it in the system keyring",
        description="Check the password first and store it only if the login works. Over a "
        "saved account this is a rotation: the stored password is replaced only by one that "
        "worked.",
    )
    save.add_argument("email")
    add_server_flags(save)
    save.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")
    save.add_argument("--no-verify", action="store_true", help="store without checking")
    save.add_argument("--password-stdin", action="store_true")
    save.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    server = server_from_flags(args)
    password = read_password(args.password_stdin, f"Password for {args.email}: ")
    outcome = accounts.save(args.email, password, server, not args.no_verify, args.timeout)
    if args.json:
        render.json_out(outcome)
        return exitcodes.OK if outcome["saved"] else exitcodes.FAILED
    if outcome["check"]:
        from imapkey.prober.models import CheckResult

        print(render.check(CheckResult.model_validate(outcome["check"]), sys.stdout.isatty()))
        print()
    print(outcome["message"])
    return exitcodes.OK if outcome["saved"] else exitcodes.FAILED
