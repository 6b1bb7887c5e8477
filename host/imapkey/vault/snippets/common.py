"""What every client's renderer shares: the checked values, the password command, names.

A saved account's fields end up inside other programs' configuration languages, where a
quote, a backtick or a newline can turn them into commands. The index is a plain file a user
(or anything running as the user) can edit, so nothing read from it is trusted: every value
is checked again here, with the same rules as at entry (imapkey.prober.models), and each
renderer then escapes it for its own syntax or refuses it.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.prober.models import check_ca_file, check_email, check_host
from imapkey.vault.index import Account

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+$")
HEADER = "written by `imapkey snippet`"


class UnsafeValue(ImapkeyError):
    """A saved value that cannot be written into a client's configuration safely."""

    code = INVALID_REQUEST


def refuse(client: str, what: str, why: str) -> UnsafeValue:
    return UnsafeValue(
        f"The saved {what} cannot be written into a {client} configuration safely: {why}.",
        "Save the account again with a valid value (imapkey save), then ask for the snippet.",
    )


def imapkey_executable() -> str:
    """This installation's ``imapkey``: an absolute path, so the client's PATH does not matter."""
    beside = Path(sys.executable).with_name("imapkey")
    return str(beside) if beside.exists() else "imapkey"


@dataclass(frozen=True)
class Values:
    """An account's fields, re-checked, plus what the renderers derive from them."""

    email: str
    host: str
    port: int
    security: str
    ca_file: str | None
    executable: str

    @property
    def name(self) -> str:
        """An account name every client accepts in section and channel names."""
        local, _, domain = self.email.rpartition("@")
        return re.sub(r"[^A-Za-z0-9_-]", "-", f"{local}-at-{domain}")

    @property
    def implicit_tls(self) -> bool:
        return self.security == "tls"

    @property
    def url_host(self) -> str:
        """The host as it goes into a URL: IPv6 literals in brackets."""
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def shell_email(self) -> str:
        """The address as a shell word, for the command lines shown in comments."""
        return shlex.quote(self.email)

    @property
    def password_argv(self) -> list[str]:
        return [self.executable, "password", self.email, "--host", self.host]

    @property
    def password_command(self) -> str:
        """The password command for a POSIX shell, every argument quoted."""
        return shlex.join(self.password_argv)

    @property
    def mail_dir(self) -> str:
        """Where a syncing client keeps this account's mail, as users expect it."""
        return f"~/Mail/{self.name}"


def values(client: str, account: Account) -> Values:
    """The account's fields re-checked; any value that fails is refused, never repaired."""
    if not EMAIL_SHAPE.match(account.email) or len(account.email) > 254:
        raise refuse(client, "address", "it is not of the form name@domain")
    checks: tuple[tuple[str, Callable[[Any], object], str | None], ...] = (
        ("address", check_email, account.email),
        ("server", check_host, account.host),
        ("CA file", check_ca_file, account.ca_file),
    )
    for what, check, value in checks:
        try:
            check(value)
        except ValueError as exc:
            raise refuse(client, what, str(exc)) from None
    if not 1 <= account.port <= 65535:
        raise refuse(client, "port", "it is not between 1 and 65535")
    if account.security not in ("tls", "starttls"):
        raise refuse(client, "security", "it is neither tls nor starttls")
    executable = imapkey_executable()
    try:
        check_ca_file(executable)  # the same rules: absolute, printable
    except ValueError:
        if executable != "imapkey":
            raise refuse(client, "imapkey path", repr(executable)) from None
    return Values(
        email=account.email,
        host=account.host,
        port=account.port,
        security=account.security,
        ca_file=account.ca_file,
        executable=executable,
    )


def forbid(client: str, what: str, value: str, characters: str) -> None:
    """Refuse ``value`` if it holds any of ``characters`` (the client has no escape for them)."""
    found = sorted({c for c in value if c in characters})
    if found:
        raise refuse(client, what, f"it contains {' '.join(found)}, which {client} cannot escape")


@dataclass(frozen=True)
class Sending:
    """The sending server saved with an account, re-checked like the rest."""

    host: str
    port: int
    security: str
    ca_file: str | None

    @property
    def implicit_tls(self) -> bool:
        return self.security == "tls"


def sending(client: str, account: Account) -> Sending | None:
    """The account's sending server re-checked (refused, never repaired), or None when none
    was saved."""
    smtp = account.smtp
    if smtp is None:
        return None
    try:
        check_host(smtp.host)
    except ValueError as exc:
        raise refuse(client, "sending server", str(exc)) from None
    try:
        check_ca_file(smtp.ca_file)
    except ValueError as exc:
        raise refuse(client, "sending CA file", str(exc)) from None
    if not 1 <= smtp.port <= 65535:
        raise refuse(client, "sending port", "it is not between 1 and 65535")
    if smtp.security not in ("tls", "starttls"):
        raise refuse(client, "sending security", "it is neither tls nor starttls")
    return Sending(smtp.host, smtp.port, smtp.security, smtp.ca_file)


def no_sending_server(client: str, email: str) -> ImapkeyError:
    return ImapkeyError(
        f"No sending (SMTP) server is saved for {email}, so there is no {client} "
        "configuration to give.",
        f"Save it again with sending checked: imapkey save {shlex.quote(email)} --smtp (or "
        "--smtp-host HOST), or Check and save in the extension.",
        code=INVALID_REQUEST,
    )
