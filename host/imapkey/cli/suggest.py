"""``imapkey suggest``: the IMAP settings for an address, from the provider table or DNS."""

from __future__ import annotations

import argparse
from typing import Any

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    suggest = commands.add_parser(
        "suggest",
        help="show the IMAP settings for an address",
        description="Show the IMAP server, port and security for an address: from imapkey's "
        "provider table, or the domain's MX records for a custom domain.",
    )
    options.add_email(suggest, help="the address to look up")
    options.add_json(suggest, "the settings")
    options.add_lookup_flag(suggest)


def run(args: argparse.Namespace) -> int:
    from imapkey.ops import Context
    from imapkey.ops import suggest as op

    options.apply_lookup_flag(args)
    result: dict[str, Any] = op.run(op.Params(email=args.email), Context())
    if args.json:
        render.json_out(result)
        return exitcodes.OK
    server = result["server"]
    name = result["name"] or "unknown provider"
    render.out(f"{safe(args.email)}: {safe(name)} ({safe(result['source'])})")
    render.out(f"  IMAP server {safe(server['host'])} port {server['port']} ({server['security']})")
    if result["submission"]:
        sending = result["submission"]
        render.out(
            f"  Sending (SMTP) {safe(sending['host'])} port {sending['port']} "
            f"({sending['security']})"
        )
    for note in result["notes"]:
        render.out(f"  - {safe(note)}")
    if result["app_password_link"]:
        render.out(f"  App passwords: {safe(result['app_password_link'])}")
    return exitcodes.OK
