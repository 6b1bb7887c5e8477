"""``imapkey snippet``: a mail client configuration that asks ``imapkey password``."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, options

CLIENTS = ("mbsync", "neomutt", "aerc", "himalaya", "offlineimap")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    snippet = commands.add_parser(
        "snippet",
        help="print a mail client configuration that reads the password from here",
        description="Print a configuration fragment for a saved account whose password "
        "command is imapkey password, so the password stays in the keyring.",
    )
    options.add_email(snippet, help="the saved address")
    snippet.add_argument(
        "--client", required=True, choices=CLIENTS, help="the mail client: " + ", ".join(CLIENTS)
    )
    snippet.add_argument(
        "--host", type=options.host, help="the account on this server (when there are several)"
    )


def run(args: argparse.Namespace) -> int:
    from imapkey.errors import ACCOUNT_NOT_FOUND, ImapkeyError
    from imapkey.vault.index import Index
    from imapkey.vault.snippets import snippet

    found = Index().find(args.email, args.host)
    if not found:
        raise ImapkeyError(
            f"No saved account for {args.email}.",
            f"Save it first: imapkey save {args.email}",
            code=ACCOUNT_NOT_FOUND,
        )
    sys.stdout.write(snippet(args.client, found[0]))
    return exitcodes.OK
