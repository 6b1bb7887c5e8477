"""``imapkey recheck``: check saved accounts again with their stored passwords."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    recheck = commands.add_parser(
        "recheck",
        help="check saved accounts with their stored password",
        description="Log in again with the stored password of one saved account, or of all, "
        "and record how it went. Exit status 0 only when every login worked.",
    )
    target = recheck.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "email", nargs="?", type=options.email, metavar="ADDRESS", help="the saved address"
    )
    target.add_argument("--all", action="store_true", help="every saved account")
    options.add_timeout(recheck)
    options.add_force(recheck)
    options.add_json(recheck, "the results")


def run(args: argparse.Namespace) -> int:
    from imapkey.prober.models import CheckResult
    from imapkey.vault import accounts

    outcome = accounts.recheck(
        None if args.all else args.email, timeout=args.timeout, force=args.force
    )
    statuses: list[int] = []
    for entry in outcome["results"]:
        if entry["check"] is None:
            statuses.append(exitcodes.for_error(entry["error"]["code"]))
            if not args.json:
                render.out(
                    f"{safe(entry['email'])} on {safe(entry['host'])}: "
                    f"{safe(entry['error']['message'])}"
                )
                render.out(f"  → {safe(entry['error']['hint'])}")
                render.out()
            continue
        result = CheckResult.model_validate(entry["check"])
        statuses.append(exitcodes.for_outcome(result.outcome))
        if not args.json:
            render.out(render.check(result, render.use_color()))
            render.out()
    if args.json:
        render.json_out(outcome)
    elif not outcome["results"]:
        render.out("No saved accounts.")
    return exitcodes.worst(statuses)
