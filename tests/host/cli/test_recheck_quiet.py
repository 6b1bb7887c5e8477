"""imapkey recheck --all --quiet, for cron or a systemd timer, against a real Dovecot whose
password is then changed (as when an app password is revoked)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import Dovecot
from support.secret_service import SecretService
from support.services import require
from support.smtpsink import SmtpSink

EMAIL = "watch@example.com"
PASSWORD = "watch-pw-1"


@pytest.fixture(scope="module")
def watched(service_dir: Path, good_certs: CertSet, smtp_sink: SmtpSink) -> Iterator[Dovecot]:
    """A Dovecot (IMAP and submission) of this module's own: its password gets changed."""
    require("/usr/lib/dovecot/submission", "dovecot-submissiond")
    server = Dovecot(
        service_dir / "dovecot-watch-cli", good_certs, {EMAIL: PASSWORD}, relay_port=smtp_sink.port
    )
    server.start(require("dovecot", "dovecot-imapd"))
    yield server
    server.stop()


def test_quiet_is_silent_until_a_password_stops_working(
    watched: Dovecot,
    good_certs: CertSet,
    keyring_env: dict[str, str],
    secret_service: SecretService,
) -> None:
    """All working: no output at all, exit 0. Password changed on the server: exit 1, one
    line on stderr naming the account and why, stdout still empty; the index records it."""
    saved = run_cli(
        [
            "save",
            EMAIL,
            "--host",
            "localhost",
            "--port",
            str(watched.imaps_port),
            "--ca-file",
            str(good_certs.ca_file),
            "--smtp-host",
            "localhost",
            "--smtp-port",
            str(watched.submission_port),
            "--smtp-security",
            "starttls",
            "--password-stdin",
        ],
        keyring_env,
        PASSWORD + "\n",
    )
    assert saved.returncode == 0, saved.stdout + saved.stderr
    fine = run_cli(["recheck", "--all", "--quiet"], keyring_env)
    assert (fine.returncode, fine.stdout, fine.stderr) == (0, "", "")
    watched.set_password(EMAIL, "changed-by-the-user")
    try:
        broken = run_cli(["recheck", "--all", "--quiet"], keyring_env)
        assert broken.returncode == 1
        assert broken.stdout == ""
        [line] = broken.stderr.splitlines()
        assert line.startswith(f"imapkey: {EMAIL} on localhost: ")
        assert "refused" in line
        listing = json.loads(run_cli(["list", "--json"], keyring_env).stdout)
        [entry] = listing["accounts"]
        assert (entry["last_outcome"], entry["last_smtp_outcome"]) == (
            "auth_failed",
            "auth_failed",
        )
        loud = run_cli(["recheck", "--all", "--force"], keyring_env)
        assert "Sending mail (SMTP)" in loud.stdout
    finally:
        watched.set_password(EMAIL, PASSWORD)
