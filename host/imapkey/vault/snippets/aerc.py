"""aerc: a complete accounts.conf that opens the INBOX on the server.

aerc refuses an accounts.conf that others can read (hence mode 0600), and has no setting for
an extra CA: a private server's CA goes in through SSL_CERT_FILE. Values that its ini parser
could cut at ``#`` or ``;`` are wrapped in backticks, which it takes as a raw string; no
saved value may hold a backtick.
"""

from __future__ import annotations

import shlex
from urllib.parse import quote

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, forbid, sending, values

CLIENT = "aerc"
PATH = "~/.config/aerc/accounts.conf"


def raw(what: str, value: str) -> str:
    forbid(CLIENT, what, value, "`")
    return f"`{value}`"


def header_address(email: str) -> str:
    """The address as a From header needs it: a local part with specials goes in quotes."""
    from email.headerregistry import Address

    local, _, domain = email.rpartition("@")
    return Address(username=local, domain=domain).addr_spec


def render(account: Account) -> str:
    v = values(CLIENT, account)
    scheme = "imaps" if v.implicit_tls else "imap"  # imap:// is STARTTLS in aerc
    user = quote(v.email, safe="")
    lines = [
        f"# aerc accounts.conf for {v.email}, {HEADER}.",
        "# For aerc 0.14 and later (aerc -v).",
        f"# Save it as {PATH} with mode 0600 (aerc refuses it otherwise),",
        f"# or let imapkey do it: imapkey snippet {v.shell_email} --client aerc --write",
        "# Then: aerc   (it opens the INBOX on the server)",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
    ]
    if v.ca_file:
        lines += [
            "# aerc has no setting for a private CA: start it with the CA in SSL_CERT_FILE,",
            f"#   SSL_CERT_FILE={shlex.quote(v.ca_file)} aerc",
            "# (aerc then trusts that file alone; to keep the public CAs too, point",
            "# SSL_CERT_FILE at a copy of /etc/ssl/certs/ca-certificates.crt with the CA added).",
        ]
    lines += [
        "",
        f"[{v.name}]",
        f"source = {scheme}://{user}@{v.url_host}:{v.port}",
        f"source-cred-cmd = {raw('password command', v.password_command)}",
        f"from = {raw('address', header_address(v.email))}",
        "default = INBOX",
    ]
    out = sending(CLIENT, account)
    if out is not None:
        # smtps:// is implicit TLS, smtp:// STARTTLS in aerc; the same password command.
        sending_scheme = "smtps" if out.implicit_tls else "smtp"
        host = f"[{out.host}]" if ":" in out.host else out.host
        lines += [
            f"outgoing = {sending_scheme}://{user}@{host}:{out.port}",
            f"outgoing-cred-cmd = {raw('password command', v.password_command)}",
        ]
    return "\n".join(lines) + "\n"
