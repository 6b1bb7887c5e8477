"""``imapkey recheck``: check saved accounts again with their stored passwords."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, render


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    recheck = commands.add_parser("recheck", help="check saved accounts with their stored password")
    target = recheck.add_mutually_exclusive_group(required=True)
    target.add_argument("email", nargs="?")
    target.add_argument("--all", action="store_true")
    recheck.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")
    recheck.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from imapkey.prober.models import CheckResult
    from imapkey.vault import accounts

    outcome = accounts.recheck(None if args.all else args.email, timeout=args.timeout)
    if args.json:
        render.json_out(outcome)
    all_ok = True
    for entry in outcome["results"]:
        if entry["check"] is None:
            all_ok = False
            if not args.json:
                print(f"{entry['email']} on {entry['host']}: {entry['error']['message']}")
            continue
        result = CheckResult.model_validate(entry["check"])
        all_ok &= result.ok
        if not args.json:
            print(render.check(result, sys.stdout.isatty()))
            print()
    return exitcodes.OK if all_ok else exitcodes.FAILED
