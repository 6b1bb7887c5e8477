"""mbsync (isync): a complete ~/.mbsyncrc that syncs the INBOX into ~/Mail/<account>/INBOX.

``SSLType`` rather than ``TLSType``: the latter exists only from isync 1.5, while Debian 12
and 13 and Ubuntu 24.04 ship 1.4.4; 1.5 still accepts ``SSLType`` (with a deprecation note).
"""

from __future__ import annotations

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, values

CLIENT = "mbsync"
PATH = "~/.mbsyncrc"


def quote(value: str) -> str:
    """An mbsync argument: double quotes, with backslash escaping backslash and quote."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(account: Account) -> str:
    v = values(CLIENT, account)
    name = v.name
    lines = [
        f"# mbsync configuration for {v.email}, {HEADER}.",
        "# For isync 1.4 and 1.5 (mbsync --version).",
        f"# Save it as {PATH} (mode 0600), or let imapkey do it:",
        f"#   imapkey snippet {v.shell_email} --client mbsync --write",
        f"# Then: mkdir -p {v.mail_dir} && mbsync {name}",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
        "",
        f"IMAPAccount {name}",
        f"Host {quote(v.host)}",
        f"Port {v.port}",
        f"User {quote(v.email)}",
        f"PassCmd {quote(v.password_command)}",
        f"SSLType {'IMAPS' if v.implicit_tls else 'STARTTLS'}",
    ]
    if v.ca_file:
        lines.append(f"CertificateFile {quote(v.ca_file)}")
    lines += [
        "",
        f"IMAPStore {name}-remote",
        f"Account {name}",
        "",
        f"MaildirStore {name}-local",
        f"Path {v.mail_dir}/",
        f"Inbox {v.mail_dir}/INBOX",
        "SubFolders Verbatim",
        "",
        f"Channel {name}",
        f"Far :{name}-remote:",
        f"Near :{name}-local:",
        "Patterns INBOX",
        "Create Near",
        "SyncState *",
    ]
    return "\n".join(lines) + "\n"
