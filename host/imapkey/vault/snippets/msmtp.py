"""msmtp: a complete msmtprc that sends through the saved sending server.

msmtp reads an argument in double quotes with only two escapes, ``\\"`` and ``\\\\``; every
value is written that way. ``passwordeval`` hands its command to the shell, so the password
command is the same fully quoted one every snippet uses. Needs an account saved with its
sending server (``imapkey save --smtp``).
"""

from __future__ import annotations

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, forbid, no_sending_server, sending, values

CLIENT = "msmtp"
PATH = "~/.config/msmtp/config"


def quoted(what: str, value: str) -> str:
    forbid(CLIENT, what, value, "\n\r")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(account: Account) -> str:
    v = values(CLIENT, account)
    out = sending(CLIENT, account)
    if out is None:
        raise no_sending_server(CLIENT, v.email)
    lines = [
        f"# msmtp configuration for {v.email}, {HEADER}.",
        f"# Save it as {PATH}, or let imapkey do it:",
        f"#   imapkey snippet {v.shell_email} --client msmtp --write",
        f"# Then: msmtp -a {v.name} RECIPIENT < message   (or as your mail client's sendmail)",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
        "",
        "defaults",
        "auth on",
        "tls on",
        "",
        f"account {v.name}",
        f"host {quoted('sending server', out.host)}",
        f"port {out.port}",
        f"tls_starttls {'off' if out.implicit_tls else 'on'}",
        f"from {quoted('address', v.email)}",
        f"user {quoted('address', v.email)}",
        f"passwordeval {quoted('password command', v.password_command)}",
    ]
    ca_file = out.ca_file or v.ca_file
    if ca_file:
        lines.append(f"tls_trust_file {quoted('CA file', ca_file)}")
    lines += ["", f"account default : {v.name}"]
    return "\n".join(lines) + "\n"
