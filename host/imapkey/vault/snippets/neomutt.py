"""neomutt: a complete neomuttrc that opens the INBOX on the server.

Values go in single quotes, where neomutt expands nothing (no backticks, no $VARIABLES, no
backslash escapes); a value holding a single quote cannot be written and is refused. The
password command sits in backticks inside double quotes, so its output (the password) is
taken as one literal value whatever characters it holds.
"""

from __future__ import annotations

from urllib.parse import quote

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, forbid, sending, values

CLIENT = "neomutt"
PATH = "~/.config/neomutt/neomuttrc"


def literal(what: str, value: str) -> str:
    forbid(CLIENT, what, value, "'")
    return f"'{value}'"


def render(account: Account) -> str:
    v = values(CLIENT, account)
    # Inside backticks neomutt looks for the closing backtick (skipping backslash pairs) and
    # expands $VARIABLES before the shell sees the command.
    forbid(CLIENT, "password command", v.password_command, '`\\$"')
    scheme = "imaps" if v.implicit_tls else "imap"
    lines = [
        f"# neomutt configuration for {v.email}, {HEADER}.",
        "# For NeoMutt 20220429 and later (neomutt -v).",
        f"# Save it as {PATH}, or let imapkey do it:",
        f"#   imapkey snippet {v.shell_email} --client neomutt --write",
        "# Then: neomutt   (it opens the INBOX on the server)",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
        "",
        f"set imap_user = {literal('address', v.email)}",
        f'set imap_pass = "`{v.password_command}`"',
        f"set folder = {literal('server', f'{scheme}://{v.url_host}:{v.port}/')}",
        "set spoolfile = '+INBOX'",
        "set ssl_force_tls = yes",
        f"set ssl_starttls = {'no' if v.implicit_tls else 'yes'}",
    ]
    if v.ca_file:
        lines.append(f"set certificate_file = {literal('CA file', v.ca_file)}")
    out = sending(CLIENT, account)
    if out is not None:
        # smtps:// is implicit TLS; smtp:// with ssl_starttls and ssl_force_tls above is
        # STARTTLS, never plain. The same password command as for reading.
        sending_scheme = "smtps" if out.implicit_tls else "smtp"
        host = f"[{out.host}]" if ":" in out.host else out.host
        user = quote(v.email, safe="")
        url = f"{sending_scheme}://{user}@{host}:{out.port}/"
        lines += [
            "",
            "# Sending, through the server saved with the account.",
            f"set from = {literal('address', v.email)}",
            f"set smtp_url = {literal('sending server', url)}",
            f'set smtp_pass = "`{v.password_command}`"',
        ]
    return "\n".join(lines) + "\n"
