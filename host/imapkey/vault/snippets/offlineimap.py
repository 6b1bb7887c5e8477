"""offlineimap3: a complete ~/.offlineimaprc that syncs the INBOX into ~/Mail/<account>/INBOX.

offlineimap reads its file with Python's ConfigParser with interpolation, so ``%`` is doubled;
the password comes from ``remotepasseval``, a Python expression, with every argument written
by ``repr``. For STARTTLS it needs ``ssl = no`` (``ssl = yes`` means implicit TLS to it), and
it then does not verify the server's certificate at all: the file says so.
"""

from __future__ import annotations

from imapkey.vault.index import Account
from imapkey.vault.snippets.common import HEADER, refuse, values

CLIENT = "offlineimap"
PATH = "~/.offlineimaprc"


def value(what: str, text: str) -> str:
    """A ConfigParser value: one line, no surrounding blanks, ``%`` doubled."""
    if text != text.strip():
        raise refuse(CLIENT, what, "it starts or ends with a blank")
    return text.replace("%", "%%")


def render(account: Account) -> str:
    v = values(CLIENT, account)
    name = v.name
    argv = ", ".join(repr(a) for a in v.password_argv)
    passeval = (
        f"__import__('subprocess').run([{argv}], capture_output=True, text=True, "
        "check=True).stdout.removesuffix('\\n')"
    )
    lines = [
        f"# offlineimap configuration for {v.email}, {HEADER}.",
        "# For offlineimap3 8.0 (Debian 12 and 13; offlineimap --version).",
        f"# Save it as {PATH} (mode 0600), or let imapkey do it:",
        f"#   imapkey snippet {v.shell_email} --client offlineimap --write",
        f"# Then: offlineimap   (it syncs the INBOX into {v.mail_dir}/INBOX)",
        "# The password is read from the system keyring by `imapkey password`, never stored here.",
    ]
    if not v.implicit_tls:
        lines += [
            "# WARNING: on STARTTLS offlineimap does NOT verify the server's certificate, so",
            "# anyone on the network path could read the password. If the server offers",
            "# implicit TLS (usually port 993), save the account with --security tls instead.",
            "# offlineimap 8.0 also races its own STARTTLS now and then: a run stalls, or fails",
            '# with "Failed to start TLS connection". Implicit TLS avoids that too.',
        ]
    lines += [
        "",
        "[general]",
        f"accounts = {name}",
        "",
        f"[Account {name}]",
        f"localrepository = {name}-local",
        f"remoterepository = {name}-remote",
        "",
        f"[Repository {name}-local]",
        "type = Maildir",
        f"localfolders = {v.mail_dir}",
        "",
        f"[Repository {name}-remote]",
        "type = IMAP",
        f"remotehost = {value('server', v.host)}",
        f"remoteport = {v.port}",
        f"remoteuser = {value('address', v.email)}",
        f"remotepasseval = {value('password command', passeval)}",
        f"ssl = {'yes' if v.implicit_tls else 'no'}",
        f"starttls = {'no' if v.implicit_tls else 'yes'}",
    ]
    if v.implicit_tls:
        lines.append(f"sslcacertfile = {value('CA file', v.ca_file or 'OS-DEFAULT')}")
    lines.append("folderfilter = lambda folder: folder == 'INBOX'")
    return "\n".join(lines) + "\n"
