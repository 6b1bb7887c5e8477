"""``imapkey snippet``: a mail client configuration that asks ``imapkey password``."""

from __future__ import annotations

import argparse
import sys

from imapkey.cli import exitcodes, options, render
from imapkey.cli.render import safe

CLIENTS = ("mbsync", "neomutt", "aerc", "himalaya", "offlineimap", "msmtp")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    snippet = commands.add_parser(
        "snippet",
        help="print a mail client configuration that reads the password from here",
        description="A complete configuration for the client that syncs or opens the INBOX, "
        "reading the password from the keyring with imapkey password. Printed, or written to "
        "the client's own file with --write.",
    )
    options.add_email(snippet, help="the saved address")
    snippet.add_argument(
        "--client", required=True, choices=CLIENTS, help="the mail client: " + ", ".join(CLIENTS)
    )
    snippet.add_argument(
        "--host", type=options.host, help="the account on this server (when there are several)"
    )
    snippet.add_argument(
        "--client-version",
        choices=("1", "2"),
        help="himalaya's major version (default: the installed one, else 2)",
    )
    snippet.add_argument(
        "--write",
        action="store_true",
        help="write the client's own file (mode 0600) instead of printing; never over an "
        "existing file unless --force",
    )
    snippet.add_argument("--force", action="store_true", help="with --write: replace the file")


def run(args: argparse.Namespace) -> int:
    from imapkey.vault.snippets import saved_account, snippet, write_snippet

    account = saved_account(args.email, args.host)
    text = snippet(args.client, account, args.client_version)
    if not args.write:
        sys.stdout.write(text)
        return exitcodes.OK
    path = write_snippet(args.client, account, text, force=args.force)
    render.out(f"Wrote {safe(path)} (readable only by you).")
    return exitcodes.OK
