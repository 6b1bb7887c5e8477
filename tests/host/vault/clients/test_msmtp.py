"""msmtp from Debian sends a real message through Dovecot's submission service with the
configuration `imapkey snippet --client msmtp --write` gives, the password from the keyring."""

from __future__ import annotations

import stat
import subprocess
import uuid
from pathlib import Path

import pytest

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import ACCOUNTS, Dovecot
from support.mailclients import executable
from support.smtpsink import SmtpSink

pytestmark = pytest.mark.service

EMAIL = "vault@example.com"


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_msmtp_sends_with_the_snippet(
    submission: Dovecot,
    smtp_sink: SmtpSink,
    good_certs: CertSet,
    keyring_env: dict[str, str],
    tmp_path: Path,
    security: str,
) -> None:
    """Saved with --smtp-…, the msmtp snippet is written 0600 and msmtp sends with it: the
    message reaches the sink Dovecot relays to, and no password is in the file."""
    msmtp = executable("msmtp")
    port = submission.submissions_port if security == "tls" else submission.submission_port
    saved = run_cli(
        [
            "save",
            EMAIL,
            "--host",
            "localhost",
            "--port",
            str(submission.imaps_port),
            "--ca-file",
            str(good_certs.ca_file),
            "--smtp-host",
            "localhost",
            "--smtp-port",
            str(port),
            "--smtp-security",
            security,
            "--password-stdin",
        ],
        keyring_env,
        ACCOUNTS[EMAIL] + "\n",
    )
    assert saved.returncode == 0, saved.stdout + saved.stderr
    out = run_cli(["snippet", EMAIL, "--client", "msmtp", "--write", "--force"], keyring_env)
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.removeprefix("Wrote ").split(" (")[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert ACCOUNTS[EMAIL] not in text
    assert f"tls_starttls {'off' if security == 'tls' else 'on'}" in text
    subject = f"imapkey msmtp {security} {uuid.uuid4().hex[:8]}"
    message = f"From: {EMAIL}\nTo: someone@example.net\nSubject: {subject}\n\nHello from msmtp.\n"
    before = len(smtp_sink.messages)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    done = subprocess.run(
        [msmtp, "-C", str(path), "someone@example.net"],
        input=message,
        env=keyring_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr + submission.log()[-2000:]
    received = smtp_sink.wait_for(before + 1)
    assert any(subject.encode() in m.data for m in received[before:])
    assert any(EMAIL in m.sender for m in received[before:])


def test_msmtp_snippet_needs_a_saved_sending_server(
    dovecot: Dovecot, good_certs: CertSet, keyring_env: dict[str, str]
) -> None:
    """An account saved without sending: the msmtp snippet is refused, saying how to fix it."""
    saved = run_cli(
        [
            "save",
            EMAIL,
            "--host",
            "localhost",
            "--port",
            str(dovecot.imaps_port),
            "--ca-file",
            str(good_certs.ca_file),
            "--password-stdin",
        ],
        keyring_env,
        ACCOUNTS[EMAIL] + "\n",
    )
    assert saved.returncode == 0, saved.stderr
    out = run_cli(["snippet", EMAIL, "--client", "msmtp"], keyring_env)
    assert out.returncode != 0
    assert out.stdout == ""
    assert "No sending (SMTP) server is saved" in out.stderr
    assert "--smtp" in out.stderr
