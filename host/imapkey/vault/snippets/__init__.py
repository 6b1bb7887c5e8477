"""Mail-client configurations that read the password from the keyring.

Each one is a complete, minimal configuration for the client as Debian and Ubuntu ship it:
it names the server the account was saved with, fetches the password by running this
installation's ``imapkey password``, and syncs or opens the INBOX as it stands. Every saved
value is re-checked and escaped for the client's own syntax, or refused (common.py).
"""

from __future__ import annotations

from pathlib import Path

from imapkey.errors import ACCOUNT_NOT_FOUND, ImapkeyError
from imapkey.vault.index import Account, Index
from imapkey.vault.snippets import aerc, himalaya, mbsync, msmtp, neomutt, offlineimap
from imapkey.vault.snippets.common import UnsafeValue, values

CLIENTS = ("mbsync", "neomutt", "aerc", "himalaya", "offlineimap", "msmtp")
MODULES = {
    "mbsync": mbsync,
    "neomutt": neomutt,
    "aerc": aerc,
    "himalaya": himalaya,
    "offlineimap": offlineimap,
    "msmtp": msmtp,
}
# Versions a client's snippet can be written for, where it differs between them.
CLIENT_VERSIONS = {"himalaya": himalaya.VERSIONS}

# Clients that sync into a local folder, which must exist before their first run.
SYNCING = ("mbsync", "offlineimap")

__all__ = [
    "CLIENTS",
    "CLIENT_VERSIONS",
    "UnsafeValue",
    "default_path",
    "saved_account",
    "snippet",
    "write_snippet",
]


def saved_account(email: str, host: str | None = None) -> Account:
    """The saved account a snippet is for, or account_not_found with what to do."""
    found = Index().find(email, host)
    if not found:
        raise ImapkeyError(
            f"No saved account for {email}" + (f" on {host}." if host else "."),
            "Save it first: imapkey save.",
            code=ACCOUNT_NOT_FOUND,
        )
    return found[0]


def snippet(client: str, account: Account, version: str | None = None) -> str:
    """The configuration text for ``client``; raises UnsafeValue for a value it cannot hold."""
    if client == "himalaya":
        return himalaya.render(account, version)
    text: str = MODULES[client].render(account)
    return text


def default_path(client: str) -> str:
    """Where the client looks for its configuration, with ``~`` for the home folder."""
    path: str = MODULES[client].PATH
    return path


def write_snippet(client: str, account: Account, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to the client's own file (mode 0600, never over a file unless ``force``),
    and create the local mail folder a syncing client expects."""
    from imapkey.vault.snippets.write import DIR_MODE, expand, write

    path = write(text, expand(default_path(client)), force=force)
    if client in SYNCING:
        expand(values(client, account).mail_dir).mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return path
