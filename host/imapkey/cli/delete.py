"""``imapkey delete``: remove a saved account from this computer."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    delete = commands.add_parser("delete", help="remove a saved account from the keyring")
    delete.add_argument("email")
    delete.add_argument("--host", help="only the account on this server")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    outcome = accounts.delete(args.email, args.host)
    for gone in outcome["removed"]:
        print(f"Removed {gone['email']} on {gone['host']}.")
    print(outcome["message"])
    print(f"  → {outcome['hint']}")
    if outcome["link"]:
        print(f"  {outcome['link']}")
    return exitcodes.OK
