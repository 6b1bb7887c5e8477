"""``imapkey check``: log in to the real server and say exactly how it went."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from imapkey.cli import exitcodes, options, render

if TYPE_CHECKING:
    from imapkey.errors import ImapkeyError
    from imapkey.prober import check as check_module
    from imapkey.prober.models import CheckResult, ServerSettings


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="check an address and password against the real IMAP server",
        description="Log in to the IMAP server and say exactly how it went: each step with "
        "its timing, the verdict, the fix and the server's own words. With --smtp, sending is "
        "checked at the same time. Exit status 0 only when the login worked (both did, with "
        "--smtp).",
    )
    options.add_email(check)
    options.add_server_flags(check)
    options.add_smtp_flags(check)
    options.add_timeout(check)
    options.add_force(check)
    options.add_json(check, "the result object")
    options.add_password_stdin(check)


def run(args: argparse.Namespace) -> int:
    from imapkey.prober import check

    server = options.server_from_flags(args)
    sending_server = options.smtp_from_flags(args)
    password = options.read_password(args)
    request = check.CheckRequest(
        email=args.email, password=password, server=server, timeout=args.timeout, force=args.force
    )
    if sending_server is not None:
        return both(args, request, sending_server)
    result = check.run(request)
    if args.json:
        render.out(result.model_dump_json(indent=2))
    else:
        render.out(render.check(result, color=render.use_color()))
    return exitcodes.for_outcome(result.outcome)


def both(
    args: argparse.Namespace,
    request: check_module.CheckRequest,
    sending_server: ServerSettings | ImapkeyError,
) -> int:
    """Receiving and sending at once; 0 only when both worked."""
    from imapkey.errors import ImapkeyError
    from imapkey.prober import check

    sending: CheckResult | ImapkeyError
    if isinstance(sending_server, ImapkeyError):
        result, sending = check.run(request), sending_server
    else:
        smtp_request = check.CheckRequest(
            request.email, request.password, sending_server, request.timeout, request.force, "smtp"
        )
        result, sending = check.run_pair(request, smtp_request)
    if args.json:
        render.json_out(check.dump_pair(result, sending))
    else:
        render.out(render.check_pair(result, sending, color=render.use_color()))
    return status_of_both(result, sending)


def status_of_both(result: CheckResult, sending: CheckResult | ImapkeyError) -> int:
    from imapkey.errors import ImapkeyError

    second = (
        exitcodes.for_error(sending.code)
        if isinstance(sending, ImapkeyError)
        else exitcodes.for_outcome(sending.outcome)
    )
    return exitcodes.worst([exitcodes.for_outcome(result.outcome), second])
