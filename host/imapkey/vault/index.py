"""The non-secret index of saved accounts: where each one lives and how its last check went.

One JSON file in the user data folder (``$XDG_DATA_HOME/imapkey/accounts.json`` on Linux),
changed only under a cross-process lock and replaced atomically (imapkey.storage). No secret
is ever written here.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from imapkey.errors import STORAGE_ERROR, ImapkeyError
from imapkey.storage import locked, write_json

T = TypeVar("T")
INDEX_VERSION = 1


class Outgoing(BaseModel):
    """The sending (SMTP submission) server saved with an account, under the same secret."""

    host: str
    port: int
    security: Literal["tls", "starttls"]
    ca_file: str | None = None


class Account(BaseModel):
    email: str
    host: str
    port: int
    security: Literal["tls", "starttls"]
    ca_file: str | None = None
    provider: str | None = None
    saved_at: str
    last_checked_at: str | None = None
    last_outcome: str | None = None
    last_ok_at: str | None = None
    smtp: Outgoing | None = None
    last_smtp_outcome: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return account_key(self.email, self.host)


def account_key(email: str, host: str) -> tuple[str, str]:
    return email.strip().lower(), host.strip().lower()


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def index_file() -> Path:
    import platformdirs

    return platformdirs.user_data_path("imapkey", appauthor=False) / "accounts.json"


class Index:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or index_file()

    def load(self) -> list[Account]:
        return self._read()[0]

    def _read(self) -> tuple[list[Account], list[Any]]:
        """The accounts, and the raw entries this version cannot read (kept as they are, so a
        write never drops them). A missing file is an empty index; a damaged one is refused:
        reading it as empty would let the next save overwrite every other account."""
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            raise ImapkeyError(
                f"The account index {self.path} cannot be read "
                f"({exc.strerror or type(exc).__name__}).",
                "Check the file's permissions; nothing was changed.",
                code=STORAGE_ERROR,
            ) from None
        try:
            data = json.loads(content.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("accounts", []), list):
                raise ValueError("not an account index")
        except ValueError:  # UnicodeDecodeError and JSONDecodeError included
            raise self._damaged(content) from None
        accounts: list[Account] = []
        unreadable: list[Any] = []
        for raw in data.get("accounts", []):
            try:
                accounts.append(Account.model_validate(raw))
            except ValidationError:
                unreadable.append(raw)  # one damaged entry must not hide the others
        return accounts, unreadable

    def _damaged(self, content: bytes) -> ImapkeyError:
        """Keep a copy of the damaged index aside and say what to do."""
        aside = self.path.with_name(self.path.name + ".damaged")
        try:
            if not aside.exists() or aside.read_bytes() != content:
                aside.write_bytes(content)
                aside.chmod(0o600)
            kept = f" A copy is kept at {aside}."
        except OSError:
            kept = ""
        return ImapkeyError(
            f"The account index {self.path} is damaged, so imapkey will not change it.{kept}",
            "The passwords are still in the keyring. Repair the file, or move it away and "
            "save your accounts again (imapkey list then shows the passwords it still holds).",
            code=STORAGE_ERROR,
        )

    def find(self, email: str, host: str | None = None) -> list[Account]:
        wanted_email = email.strip().lower()
        return [
            a
            for a in self.load()
            if a.email.lower() == wanted_email and (host is None or a.host.lower() == host.lower())
        ]

    def change(self, edit: Callable[[list[Account]], T]) -> T:
        """Apply ``edit`` to the accounts under the lock and write the result atomically."""
        try:
            with locked(self.path):
                accounts, unreadable = self._read()
                result = edit(accounts)
                write_json(
                    self.path,
                    {
                        "version": INDEX_VERSION,
                        "accounts": [a.model_dump(mode="json") for a in accounts] + unreadable,
                    },
                )
                return result
        except OSError as exc:
            raise ImapkeyError(
                f"The account index {self.path} could not be written "
                f"({exc.strerror or type(exc).__name__}); it is unchanged.",
                "Check that the folder is writable and the disk is not full.",
                code=STORAGE_ERROR,
            ) from None
        except TimeoutError:
            raise ImapkeyError(
                "Another imapkey process held the account index for too long.",
                "Try again in a moment.",
                code=STORAGE_ERROR,
            ) from None

    def upsert(self, account: Account) -> bool:
        """Insert or replace by (email, host); True when an entry was replaced."""

        def edit(accounts: list[Account]) -> bool:
            for i, existing in enumerate(accounts):
                if existing.key == account.key:
                    accounts[i] = account.model_copy(update={"saved_at": account.saved_at})
                    return True
            accounts.append(account)
            return False

        return self.change(edit)

    def record_check(
        self, email: str, host: str, outcome: str, smtp_outcome: str | None = None
    ) -> None:
        """Record a check; ``smtp_outcome`` when sending was checked too (an account works
        only when both do)."""
        stamp = now()

        def edit(accounts: list[Account]) -> None:
            for i, existing in enumerate(accounts):
                if existing.key == account_key(email, host):
                    update = {"last_checked_at": stamp, "last_outcome": outcome}
                    if smtp_outcome is not None:
                        update["last_smtp_outcome"] = smtp_outcome
                    if outcome == "ok" and smtp_outcome in (None, "ok"):
                        update["last_ok_at"] = stamp
                    accounts[i] = existing.model_copy(update=update)

        self.change(edit)

    def remove(self, email: str, host: str | None) -> list[Account]:
        def edit(accounts: list[Account]) -> list[Account]:
            gone = [
                a
                for a in accounts
                if a.email.lower() == email.strip().lower()
                and (host is None or a.host.lower() == host.lower())
            ]
            for account in gone:
                accounts.remove(account)
            return gone

        return self.change(edit)
