"""himalaya: a complete config.toml, for 1.x (``backend.*`` keys) or 2.x (``imap.*`` keys).

himalaya 2.0 replaced the ``backend.*`` keys and ignores keys it does not know, so a file
for the wrong major version loads and then fails to find its server: the version is chosen
from the installed program when it can be run, otherwise by the caller.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, Sending, Values, forbid, sending, values

CLIENT = "himalaya"
PATH = "~/.config/himalaya/config.toml"
VERSIONS = ("1", "2")
NEWEST = "2"


def toml_string(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def installed_major(timeout: float = 5.0) -> str | None:
    """The major version of the himalaya on PATH, or None when it cannot be run."""
    program = shutil.which("himalaya")
    if program is None:
        return None
    try:
        out = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=timeout, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\bv?(\d+)\.\d+", out)
    return match.group(1) if match else None


def _header(v: Values, major: str) -> list[str]:
    other = "1" if major == "2" else "2"
    listing = "himalaya envelope list"
    return [
        f"# himalaya configuration for {v.email}, {HEADER}.",
        f"# For himalaya {major}.x (himalaya --version); for {other}.x ask for",
        f"#   imapkey snippet {v.shell_email} --client himalaya --client-version {other}",
        f"# Save it as {PATH} (mode 0600), or let imapkey do it:",
        f"#   imapkey snippet {v.shell_email} --client himalaya --client-version {major} --write",
        f"# Then: {listing}   (it lists the INBOX on the server)",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
    ]


def render_v1(v: Values, out: Sending | None = None) -> str:
    lines = _header(v, "1")
    if v.ca_file:
        lines += [
            "# himalaya 1.x has no setting for a private CA: start it with the CA in",
            f"#   SSL_CERT_FILE={shlex.quote(v.ca_file)} himalaya ...",
        ]
    lines += [
        "",
        f"[accounts.{toml_string(v.name)}]",
        "default = true",
        f"email = {toml_string(v.email)}",
        'folder.aliases.inbox = "INBOX"',
        'backend.type = "imap"',
        f"backend.host = {toml_string(v.host)}",
        f"backend.port = {v.port}",
        f'backend.encryption.type = "{"tls" if v.implicit_tls else "start-tls"}"',
        f"backend.login = {toml_string(v.email)}",
        'backend.auth.type = "password"',
        f"backend.auth.cmd = {toml_string(v.password_command)}",
    ]
    if out is not None:
        lines += [
            'message.send.backend.type = "smtp"',
            f"message.send.backend.host = {toml_string(out.host)}",
            f"message.send.backend.port = {out.port}",
            "message.send.backend.encryption.type = "
            f'"{"tls" if out.implicit_tls else "start-tls"}"',
            f"message.send.backend.login = {toml_string(v.email)}",
            'message.send.backend.auth.type = "password"',
            f"message.send.backend.auth.cmd = {toml_string(v.password_command)}",
        ]
    return "\n".join(lines) + "\n"


def render_v2(v: Values, out: Sending | None = None) -> str:
    # 2.x runs the user name through shell-style expansion ($VAR, ~): nothing to escape it with.
    forbid(CLIENT, "address", v.email, "$~")
    scheme = "imaps" if v.implicit_tls else "imap"
    argv = ", ".join(toml_string(a) for a in v.password_argv)
    lines = [
        *_header(v, "2"),
        "",
        f"[accounts.{toml_string(v.name)}]",
        "default = true",
        f"email = {toml_string(v.email)}",
        'mailbox.alias.inbox = "INBOX"',
        f"imap.server = {toml_string(f'{scheme}://{v.url_host}:{v.port}')}",
    ]
    if not v.implicit_tls:
        lines.append("imap.starttls = true")
    if v.ca_file:
        lines.append(f"imap.tls.cert = {toml_string(v.ca_file)}")
    lines += [
        f"imap.sasl.plain.username = {toml_string(v.email)}",
        f"imap.sasl.plain.password.command = [{argv}]",
    ]
    if out is not None:
        sending_scheme = "smtps" if out.implicit_tls else "smtp"
        host = f"[{out.host}]" if ":" in out.host else out.host
        lines.append(f"smtp.server = {toml_string(f'{sending_scheme}://{host}:{out.port}')}")
        if not out.implicit_tls:
            lines.append("smtp.starttls = true")
        if out.ca_file or v.ca_file:
            lines.append(f"smtp.tls.cert = {toml_string(out.ca_file or v.ca_file or '')}")
        lines += [
            f"smtp.sasl.plain.username = {toml_string(v.email)}",
            f"smtp.sasl.plain.password.command = [{argv}]",
        ]
    return "\n".join(lines) + "\n"


def render(account: Account, version: str | None = None) -> str:
    v = values(CLIENT, account)
    out = sending(CLIENT, account)
    major = version or installed_major() or NEWEST
    return render_v1(v, out) if major == "1" else render_v2(v, out)
