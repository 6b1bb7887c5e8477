"""``imapkey list``: the saved accounts and how their last check went, never a password."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser(
        "list",
        help="list saved accounts (never a password)",
        description="List the saved accounts, their servers and how their last check went. "
        "Exit status 3 when the keyring could not be asked whether each password is there.",
    )
    options.add_json(listing, "the accounts")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    listing = accounts.list_accounts()
    problem = listing["keyring_error"]
    status = exitcodes.for_error(problem["code"]) if problem else exitcodes.OK
    if args.json:
        render.json_out(listing)
        return status
    if not listing["accounts"]:
        render.out("No saved accounts.")
    for account in listing["accounts"]:
        state = account["last_outcome"] or "not checked"
        worked = account["last_ok_at"] or "never"
        missing = (
            "  (password missing from the keyring!)" if account["secret_present"] is False else ""
        )
        render.out(
            f"{safe(account['email'])}  {safe(account['host'])}:{account['port']} "
            f"({account['security']})  last: {safe(state)}  last worked: {safe(worked)}{missing}"
        )
    if problem:
        render.error(problem["message"], problem.get("hint", ""), problem["code"])
    return status
