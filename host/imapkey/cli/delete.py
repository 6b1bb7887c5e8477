"""``imapkey delete``: remove a saved account from this computer, after asking."""

from __future__ import annotations

import argparse

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    delete = commands.add_parser(
        "delete",
        help="remove a saved account from the keyring",
        description="Remove the account's password from the keyring and the account from "
        "imapkey's list. Asks first on a terminal; the app password itself keeps working "
        "until you revoke it at your provider.",
    )
    options.add_email(delete, help="the saved address to remove")
    delete.add_argument(
        "--host", type=options.host, help="only the account on this server (default: every one)"
    )
    delete.add_argument(
        "--yes", "-y", action="store_true", help="remove without asking (needed without a terminal)"
    )


def run(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts
    from imapkey.vault.index import Index

    found = Index().find(args.email, args.host)
    if found:
        what = ", ".join(f"{safe(a.email)} on {safe(a.host)}" for a in found)
        if not options.confirm(
            f"Remove {what} from this computer?",
            args.yes,
            "Nothing was removed: there is no terminal to ask for confirmation on.",
            f"To remove without asking: imapkey delete {safe(args.email)} --yes",
        ):
            render.out("Nothing was removed.")
            return exitcodes.FAILED
    outcome = accounts.delete(args.email, args.host)  # raises account_not_found when none
    for gone in outcome["removed"]:
        render.out(f"Removed {safe(gone['email'])} on {safe(gone['host'])}.")
    render.out(outcome["message"])
    render.out(f"  → {outcome['hint']}")
    if outcome["link"]:
        render.out(f"  {safe(outcome['link'])}")
    return exitcodes.OK
