"""``imapkey check``: log in to the real server and say exactly how it went."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes, options, render


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check an address and password against the real IMAP server",
        description="Log in to the IMAP server and say exactly how it went: each step with "
        "its timing, the verdict, the fix and the server's own words. Exit status 0 only when "
        "the login worked.",
    )
    options.add_email(check)
    options.add_server_flags(check)
    options.add_timeout(check)
    options.add_force(check)
    options.add_json(check, "the result object")
    options.add_password_stdin(check)


def run(args: argparse.Namespace) -> int:
    from imapkey.prober import check

    server = options.server_from_flags(args)
    password = options.read_password(args)
    request = check.CheckRequest(
        email=args.email, password=password, server=server, timeout=args.timeout, force=args.force
    )
    result = check.run(request)
    if args.json:
        render.out(result.model_dump_json(indent=2))
    else:
        render.out(render.check(result, color=render.use_color()))
    return exitcodes.for_outcome(result.outcome)
