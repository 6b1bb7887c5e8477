"""``imapkey recheck``: check saved accounts again with their stored passwords."""

from __future__ import annotations

import argparse
from typing import Any

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    recheck = commands.add_parser(
        "recheck",
        help="check saved accounts with their stored password",
        description="Log in again with the stored password of one saved account, or of all "
        "(sending too, for accounts saved with their sending server), and record how it went. "
        "Exit status 0 only when everything worked. For cron or a systemd timer: "
        "imapkey recheck --all --quiet.",
    )
    target = recheck.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "email", nargs="?", type=options.email, metavar="ADDRESS", help="the saved address"
    )
    target.add_argument("--all", action="store_true", help="every saved account")
    options.add_timeout(recheck)
    options.add_force(recheck)
    options.add_json(recheck, "the results")
    recheck.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing when everything works; otherwise only what failed, one line each",
    )


def run(args: argparse.Namespace) -> int:
    from imapkey.prober.models import CheckResult
    from imapkey.vault import accounts

    outcome = accounts.recheck(
        None if args.all else args.email, timeout=args.timeout, force=args.force
    )
    if args.quiet and not args.json:
        return quiet(outcome["results"])
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
        sent = CheckResult.model_validate(entry["smtp"]) if entry.get("smtp") else None
        if sent is not None:
            statuses.append(exitcodes.for_outcome(sent.outcome))
        elif entry.get("smtp_outcome"):
            statuses.append(exitcodes.for_error(entry["smtp_outcome"]))
        if not args.json:
            if sent is not None:
                render.out(render.check_pair(result, sent, render.use_color()))
            else:
                render.out(render.check(result, render.use_color()))
            render.out()
    if args.json:
        render.json_out(outcome)
    elif not outcome["results"]:
        render.out("No saved accounts.")
    return exitcodes.worst(statuses)


def quiet(results: list[dict[str, Any]]) -> int:
    """Silence when all works (for cron and timers, which mail or log any output); one
    line per failure otherwise, on stderr."""
    import sys

    statuses: list[int] = []
    for entry in results:
        if entry["check"] is None:
            statuses.append(exitcodes.for_error(entry["error"]["code"]))
            why = entry["error"]["message"]
        else:
            statuses.append(exitcodes.for_outcome(entry["check"]["outcome"]))
            why = entry["check"]["message"]
            sent = entry.get("smtp_outcome")
            if entry["check"]["ok"] and sent not in (None, "ok"):
                statuses.append(
                    exitcodes.for_outcome(sent) if entry.get("smtp") else exitcodes.FAILED
                )
                why = "sending: " + (entry["smtp"]["message"] if entry.get("smtp") else sent)
        if statuses[-1] != exitcodes.OK:
            print(
                f"imapkey: {safe(entry['email'])} on {safe(entry['host'])}: {safe(why)}",
                file=sys.stderr,
            )
    return exitcodes.worst(statuses)
