"""Configuration fragments for mail clients that read the password from the keyring.

Each fragment works as-is: it names the server the account was saved with and fetches the
password by running this installation's ``imapkey password`` (an absolute path, so the mail
client's PATH does not matter).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from urllib.parse import quote

from imapkey.vault.index import Account

CLIENTS = ("mbsync", "neomutt", "aerc", "himalaya", "offlineimap")


def imapkey_executable() -> str:
    beside = Path(sys.executable).with_name("imapkey")
    return str(beside) if beside.exists() else "imapkey"


def password_argv(account: Account) -> list[str]:
    return [imapkey_executable(), "password", account.email, "--host", account.host]


def password_command(account: Account) -> str:
    return shlex.join(password_argv(account))


def _name(account: Account) -> str:
    return account.email.replace("@", "-at-").replace(".", "-")


def mbsync(account: Account) -> str:
    tls = "IMAPS" if account.security == "tls" else "STARTTLS"
    lines = [
        f"IMAPAccount {_name(account)}",
        f"Host {account.host}",
        f"Port {account.port}",
        f"User {account.email}",
        f'PassCmd "{password_command(account)}"',
        f"TLSType {tls}",
    ]
    if account.ca_file:
        lines.append(f"CertificateFile {account.ca_file}")
    return "\n".join(lines) + "\n"


def neomutt(account: Account) -> str:
    scheme = "imaps" if account.security == "tls" else "imap"
    lines = [
        f'set imap_user = "{account.email}"',
        f'set imap_pass = "`{password_command(account)}`"',
        f'set folder = "{scheme}://{account.host}:{account.port}/"',
        'set spoolfile = "+INBOX"',
        "set ssl_force_tls = yes",
    ]
    if account.security == "starttls":
        lines.append("set ssl_starttls = yes")
    if account.ca_file:
        lines.append(f'set certificate_file = "{account.ca_file}"')
    return "\n".join(lines) + "\n"


def aerc(account: Account) -> str:
    scheme = "imaps" if account.security == "tls" else "imap"
    user = quote(account.email, safe="")
    return (
        f"[{account.email}]\n"
        f"source = {scheme}://{user}@{account.host}:{account.port}\n"
        f"source-cred-cmd = {password_command(account)}\n"
        f"from = {account.email}\n"
    )


def himalaya(account: Account) -> str:
    encryption = "tls" if account.security == "tls" else "start-tls"
    return (
        f'[accounts."{account.email}"]\n'
        f'email = "{account.email}"\n'
        'backend.type = "imap"\n'
        f'backend.host = "{account.host}"\n'
        f"backend.port = {account.port}\n"
        f'backend.encryption.type = "{encryption}"\n'
        f'backend.login = "{account.email}"\n'
        'backend.auth.type = "password"\n'
        f"backend.auth.cmd = {toml_string(password_command(account))}\n"
    )


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def offlineimap(account: Account) -> str:
    argv = ", ".join(repr(a) for a in password_argv(account))
    lines = [
        f"[Repository {_name(account)}-remote]",
        "type = IMAP",
        f"remotehost = {account.host}",
        f"remoteport = {account.port}",
        f"remoteuser = {account.email}",
        "remotepasseval = __import__('subprocess').run("
        f"[{argv}], capture_output=True, text=True, check=True).stdout.rstrip('\\n')",
        "ssl = yes",
        f"starttls = {'yes' if account.security == 'starttls' else 'no'}",
        f"sslcacertfile = {account.ca_file or 'OS-DEFAULT'}",
    ]
    return "\n".join(lines) + "\n"


RENDERERS = {
    "mbsync": mbsync,
    "neomutt": neomutt,
    "aerc": aerc,
    "himalaya": himalaya,
    "offlineimap": offlineimap,
}


def snippet(client: str, account: Account) -> str:
    return RENDERERS[client](account)
