"""``imapkey save``: check a password, and keep it in the keyring only if it worked."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    save = commands.add_parser(
        "save",
        help="check a password and keep it in the system keyring",
        description="Check the password first and store it only if the login works. Over a "
        "saved account this is a rotation: the stored password is replaced only by one that "
        "worked.",
    )
    options.add_email(save)
    options.add_server_flags(save)
    options.add_smtp_flags(save)
    options.add_timeout(save)
    options.add_force(save)
    save.add_argument(
        "--no-verify",
        action="store_true",
        help="store without checking first (the password is not proven to work)",
    )
    options.add_password_stdin(save)
    options.add_json(save, "the outcome")


def run(args: argparse.Namespace) -> int:
    from imapkey.prober.models import ServerSettings
    from imapkey.vault import accounts

    server = options.server_from_flags(args)
    sending = options.smtp_from_flags(args)
    # An unusable sending server (unknown, a guess) is reported by the save itself.
    smtp = sending if isinstance(sending, ServerSettings) else sending is not None
    password = options.read_password(args)
    outcome = accounts.save(
        args.email, password, server, not args.no_verify, args.timeout, force=args.force, smtp=smtp
    )
    status = exitcodes.OK
    check = outcome["check"]
    if not outcome["saved"]:
        status = exitcodes.for_outcome(check["outcome"]) if check else exitcodes.FAILED
    elif smtp and check and not outcome.get("smtp_saved"):
        sent = check.get("smtp")
        status = exitcodes.for_outcome(sent["outcome"]) if sent else exitcodes.FAILED
    if args.json:
        render.json_out(outcome)
        return status
    if check:
        from imapkey.errors import ImapkeyError
        from imapkey.prober.models import CheckResult

        result = CheckResult.model_validate(check)
        if smtp:
            error = check.get("smtp_error")
            pair: CheckResult | ImapkeyError | None = (
                ImapkeyError(error["message"], error["hint"], code=error["code"])
                if error
                else CheckResult.model_validate(check["smtp"])
                if check.get("smtp")
                else None
            )
            render.out(render.check_pair(result, pair, render.use_color()))
        else:
            render.out(render.check(result, render.use_color()))
        render.out()
    render.out(safe(outcome["message"]))
    return status
