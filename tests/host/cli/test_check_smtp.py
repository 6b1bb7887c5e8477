"""imapkey check and save with --smtp, against Dovecot's real submission service."""

from __future__ import annotations

import json

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import ACCOUNTS, Dovecot
from support.secret_service import SecretService

EMAIL = "alice@example.com"


def flags(submission: Dovecot, certs: CertSet, *smtp: str) -> list[str]:
    return [
        "--host",
        "localhost",
        "--port",
        str(submission.imaps_port),
        "--ca-file",
        str(certs.ca_file),
        *smtp,
        "--password-stdin",
    ]


def test_check_both_human(submission: Dovecot, good_certs: CertSet, env: dict[str, str]) -> None:
    """Both blocks, each with its ladder; exit 0 as both worked; no secret printed."""
    smtp = ["--smtp-host", "localhost", "--smtp-port", str(submission.submission_port)]
    out = run_cli(
        ["check", EMAIL, *flags(submission, good_certs, *smtp, "--smtp-security", "starttls")],
        env,
        ACCOUNTS[EMAIL] + "\n",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    receiving, sending = out.stdout.split("Sending mail (SMTP)")
    assert "Receiving mail (IMAP)" in receiving
    assert "mailbox" in receiving
    for stage in ("ehlo", "starttls", "auth", "quit"):
        assert stage in sending
    assert "works for sending" in sending
    assert ACCOUNTS[EMAIL] not in out.stdout + out.stderr


def test_check_exit_status_needs_both(
    submission: Dovecot, good_certs: CertSet, env: dict[str, str]
) -> None:
    """Receiving works, sending points at the IMAP port: --json carries smtp, exit 1."""
    smtp = ["--smtp-host", "localhost", "--smtp-port", str(submission.imaps_port)]
    out = run_cli(
        ["check", EMAIL, *flags(submission, good_certs, *smtp), "--json"],
        env,
        ACCOUNTS[EMAIL] + "\n",
    )
    assert out.returncode == 1, out.stderr
    result = json.loads(out.stdout)
    assert result["outcome"] == "ok"
    assert result["smtp"]["outcome"] == "imap_port"
    assert result["smtp"]["server"]["security"] == "tls"
    assert result["smtp_error"] is None


def test_bare_smtp_for_an_unknown_sending_server(
    submission: Dovecot, good_certs: CertSet, env: dict[str, str]
) -> None:
    """--smtp for a domain with no known sending server: the IMAP check still runs and the
    sending block says why it could not be checked; not a success."""
    env = {**env, "IMAPKEY_NO_LOOKUP": "1", "IMAPKEY_DNS_SERVER": "127.0.0.1:9"}
    out = run_cli(
        ["check", EMAIL, *flags(submission, good_certs, "--smtp"), "--json"],
        env,
        ACCOUNTS[EMAIL] + "\n",
    )
    result = json.loads(out.stdout)
    assert result["outcome"] == "ok"
    assert result["smtp"] is None
    assert result["smtp_error"]["code"] in ("invalid_request", "server_unconfirmed")
    assert out.returncode == 2


def test_save_with_smtp_then_check_stored(
    submission: Dovecot,
    good_certs: CertSet,
    keyring_env: dict[str, str],
    secret_service: SecretService,
) -> None:
    """save --smtp-… keeps the sending server; the account lists it with its outcome."""
    email = "vault@example.com"
    smtp = ["--smtp-host", "localhost", "--smtp-port", str(submission.submissions_port)]
    out = run_cli(
        ["save", email, *flags(submission, good_certs, *smtp), "--json"],
        keyring_env,
        ACCOUNTS[email] + "\n",
    )
    assert out.returncode == 0, out.stdout + out.stderr
    saved = json.loads(out.stdout)
    assert saved["smtp_saved"] is True
    listing = json.loads(run_cli(["list", "--json"], keyring_env).stdout)
    [entry] = listing["accounts"]
    assert entry["smtp"]["port"] == submission.submissions_port
    assert entry["last_smtp_outcome"] == "ok"
