"""``imapkey suggest``: the IMAP settings for an address, from the provider table or DNS."""

from __future__ import annotations

import argparse
from typing import Any

from imapkey.cli import exitcodes, render


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    suggest = commands.add_parser("suggest", help="show the IMAP settings for an address")
    suggest.add_argument("email")
    suggest.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from imapkey.ops import Context
    from imapkey.ops import suggest as op

    result: dict[str, Any] = op.run(op.Params(email=args.email), Context())
    if args.json:
        render.json_out(result)
        return exitcodes.OK
    server = result["server"]
    name = result["name"] or "unknown provider"
    print(f"{args.email}: {name} ({result['source']})")
    print(f"  IMAP server {server['host']} port {server['port']} ({server['security']})")
    for note in result["notes"]:
        print(f"  - {note}")
    if result["app_password_link"]:
        print(f"  App passwords: {result['app_password_link']}")
    return exitcodes.OK
