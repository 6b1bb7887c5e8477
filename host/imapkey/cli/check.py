"""``imapkey check``: log in to the real server and say exactly how it went."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, render
from imapkey.cli.options import add_server_flags, read_password, server_from_flags


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check an address and password against the real IMAP server",
        description="Log in to the IMAP server and say exactly how it went. Exit status 0 only "
        "when the login worked.",
    )
    check.add_argument("email", help="the address (also the IMAP user name)")
    add_server_flags(check)
    check.add_argument(
        "--timeout", type=float, default=15.0, metavar="SECONDS", help="give up after this long"
    )
    check.add_argument(
        "--force", action="store_true", help="check even when paused after repeated failures"
    )
    check.add_argument("--json", action="store_true", help="print the result object as JSON")
    check.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )


def run(args: argparse.Namespace) -> int:
    from imapkey.prober import check

    server = server_from_flags(args)
    password = read_password(args.password_stdin, f"Password for {args.email}: ")
    request = check.CheckRequest(
        email=args.email, password=password, server=server, timeout=args.timeout, force=args.force
    )
    result = check.run(request)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(render.check(result, color=sys.stdout.isatty()))
    return exitcodes.OK if result.ok else exitcodes.FAILED
