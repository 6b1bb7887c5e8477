"""``imapkey snippet``: a mail client configuration that asks ``imapkey password``."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    snippet = commands.add_parser(
        "snippet", help="print a mail client configuration that reads the password from here"
    )
    snippet.add_argument("email")
    snippet.add_argument(
        "--client", required=True, choices=("mbsync", "neomutt", "aerc", "himalaya", "offlineimap")
    )
    snippet.add_argument("--host")


def run(args: argparse.Namespace) -> int:
    from imapkey.errors import ACCOUNT_NOT_FOUND, ImapkeyError
    from imapkey.vault.index import Index
    from imapkey.vault.snippets import snippet

    found = Index().find(args.email, args.host)
    if not found:
        raise ImapkeyError(
            f"No saved account for {args.email}.",
            "Save it first: imapkey save.",
            code=ACCOUNT_NOT_FOUND,
        )
    sys.stdout.write(snippet(args.client, found[0]))
    return exitcodes.OK
