"""``imapkey list``: the saved accounts and how their last check went, never a password."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, render


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser("list", help="list saved accounts (never a password)")
    listing.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    listing = accounts.list_accounts()
    if args.json:
        render.json_out(listing)
        return exitcodes.OK
    if not listing["accounts"]:
        print("No saved accounts.")
    for account in listing["accounts"]:
        state = account["last_outcome"] or "not checked"
        worked = account["last_ok_at"] or "never"
        missing = (
            "  (password missing from the keyring!)" if account["secret_present"] is False else ""
        )
        print(
            f"{account['email']}  {account['host']}:{account['port']} ({account['security']})"
            f"  last: {state}  last worked: {worked}{missing}"
        )
    if listing["keyring_error"]:
        print(f"imapkey: {listing['keyring_error']['message']}", file=sys.stderr)
        return exitcodes.FAILED
    return exitcodes.OK
