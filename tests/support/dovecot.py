"""A real Dovecot IMAP server on loopback, unprivileged, with an implicit-TLS and a STARTTLS port;
with ``relay_port`` also its SMTP submission service (465-style and 587-style ports), relaying
to that port (a test sink, support/smtpsink.py).

See ../shared/reference/test-services.md: the login processes refuse to run as root, so the
config keeps ``dovenull``/``dovecot`` as their users and every file is readable by them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.certs import CertSet

# Accounts on every Dovecot: plain, non-ASCII, and one with quote, backslash and space.
ACCOUNTS = {
    "alice@example.com": "alice-pw-1",
    "uni@example.com": "pässwörd-✓",
    "quote@example.com": 'a"b\\c d',
    "canary@example.com": "canary-Zx81-secret",
    "rotate@example.com": "rotate-first-pw",
    "vault@example.com": "vault-pw-1",
    # The stand-in App passwords page shows this one as "abcd efgh ijkl mnop".
    "demo@example.com": "abcdefghijklmnop",
}

MAIL_UID = 65534  # nobody: any non-zero uid works for a static userdb

SUBMISSION = """\
submission_relay_host = 127.0.0.1
submission_relay_port = {relay_port}
hostname = localhost
service submission-login {{
  inet_listener submission {{
    port = {submission_port}
  }}
  inet_listener submissions {{
    port = {submissions_port}
    ssl = yes
  }}
}}
"""

CONFIG = """\
protocols = imap{protocols}
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
# Any user name the tests give (the default allows letters, digits and .-_@ only).
auth_username_chars =
default_login_user = dovenull
default_internal_user = dovecot
{user_lines}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
{submission}service anvil {{
  chroot =
  # No auth penalty: failed logins from loopback must not slow later tests down.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Dovecot:
    """A running Dovecot; ``accounts`` maps user to password."""

    base: Path
    certs: CertSet
    accounts: dict[str, str]
    imap_port: int = field(default_factory=free_port)
    imaps_port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    relay_port: int | None = None
    submission_port: int = field(default_factory=free_port)
    submissions_port: int = field(default_factory=free_port)

    def start(self, executable: str) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base, 0o755)
        for sub in ("run", "state", "home"):
            (self.base / sub).mkdir(exist_ok=True)
        uid = gid = MAIL_UID
        shutil.chown(self.base / "home", uid, gid)
        lines = [f"{user}:{{PLAIN}}{password}" for user, password in self.accounts.items()]
        passwd = self.base / "passwd"
        passwd.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for path in (passwd, self.certs.cert_file, self.certs.key_file):
            os.chmod(path, 0o644)
            os.chmod(path.parent, 0o755)
        user_lines = ""
        if os.geteuid() != 0:
            user_lines = f"default_login_user = {os.getlogin()}\n"
        submission = ""
        if self.relay_port is not None:
            submission = SUBMISSION.format(
                relay_port=self.relay_port,
                submission_port=self.submission_port,
                submissions_port=self.submissions_port,
            )
        conf = self.base / "dovecot.conf"
        conf.write_text(
            CONFIG.format(
                base=self.base,
                cert=self.certs.cert_file,
                key=self.certs.key_file,
                uid=uid,
                gid=gid,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
                user_lines=user_lines,
                protocols=" submission" if self.relay_port is not None else "",
                submission=submission,
            )
        )
        os.chmod(conf, 0o644)
        self.proc = subprocess.Popen(
            [executable, "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"dovecot exited: {err}\n{self.log()}")
            ports = [self.imap_port, self.imaps_port]
            if self.relay_port is not None:
                ports += [self.submission_port, self.submissions_port]
            if all(_listening(port) for port in ports):
                return
            time.sleep(0.05)
        raise RuntimeError("dovecot did not start listening:\n" + self.log())

    def set_password(self, user: str, password: str) -> None:
        """Change (or add) an account's password; Dovecot re-reads the file on its next login."""
        self.accounts[user] = password
        lines = [f"{u}:{{PLAIN}}{p}" for u, p in self.accounts.items()]
        passwd = self.base / "passwd"
        tmp = passwd.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o644)
        os.replace(tmp, passwd)
        future = time.time() + 2  # a new mtime even within the same second
        os.utime(passwd, (future, future))
        time.sleep(1.1)  # passwd-file looks at the file at most once a second

    def deliver(self, user: str, subject: str, body: str = "Hello.\n") -> Path:
        """Put a message into ``user``'s INBOX as a new maildir file owned by the mail user."""
        maildir = self.base / "home" / user / "Maildir"
        for sub in ("", "cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        for path in (maildir.parent, maildir, maildir / "cur", maildir / "new", maildir / "tmp"):
            _own(path)
            os.chmod(path, 0o700)
        stamp = f"{time.time_ns()}.P{os.getpid()}.imapkey-tests"
        message = (
            f"From: Sender <sender@example.net>\r\nTo: undisclosed-recipients:;\r\n"
            f"Subject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 03:00:00 +0000\r\nMessage-ID: <{stamp}@example.net>\r\n"
            f"\r\n{body.replace(chr(10), chr(13) + chr(10))}"
        )
        tmp = maildir / "tmp" / stamp
        tmp.write_bytes(message.encode())
        _own(tmp)
        target = maildir / "new" / stamp
        os.replace(tmp, target)
        return target

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _own(path: Path) -> None:
    """Give ``path`` to the mail user Dovecot runs sessions as (possible only as root)."""
    if os.geteuid() == 0:
        shutil.chown(path, MAIL_UID, MAIL_UID)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
