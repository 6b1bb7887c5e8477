"""Saving and re-checking with the sending server: real Secret Service, real Dovecot submission."""

from __future__ import annotations

import json

from pydantic import SecretStr

from imapkey.prober.models import CheckResult, ServerSettings
from imapkey.vault import accounts
from imapkey.vault.index import Index
from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot
from support.secret_service import SecretService

EMAIL = "vault@example.com"


def settings(port: int, security: str, certs: CertSet) -> ServerSettings:
    return ServerSettings(
        host="localhost", port=port, security=security, ca_file=str(certs.ca_file)
    )


def test_save_keeps_the_sending_server_under_the_same_secret(
    keyring_env: dict[str, str],
    submission: Dovecot,
    good_certs: CertSet,
    secret_service: SecretService,
) -> None:
    """Both checked at once; the outgoing settings land in the index, one keyring item."""
    receiving = settings(submission.imaps_port, "tls", good_certs)
    sending = settings(submission.submission_port, "starttls", good_certs)
    saved = accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), receiving, smtp=sending)
    assert (saved["saved"], saved["smtp_saved"]) == (True, True)
    assert saved["check"]["outcome"] == "ok"
    assert saved["check"]["smtp"]["outcome"] == "ok"
    assert saved["account"]["smtp"]["port"] == submission.submission_port
    [account] = Index().load()
    assert account.smtp is not None
    assert account.smtp.security == "starttls"
    assert account.last_smtp_outcome == "ok"
    assert secret_service.lookup("imapkey/localhost", EMAIL) == ACCOUNTS[EMAIL]
    assert ACCOUNTS[EMAIL] not in Index().path.read_text()
    result, sent = accounts.check_stored_both(EMAIL, None, 5, True)
    assert result.outcome == "ok"
    assert isinstance(sent, CheckResult)
    assert sent.outcome == "ok"
    assert sent.server.port == submission.submission_port


def test_sending_that_fails_is_not_saved(
    keyring_env: dict[str, str], submission: Dovecot, good_certs: CertSet
) -> None:
    """Receiving works, sending points at the IMAP port: saved, without sending settings,
    and the reply says why."""
    receiving = settings(submission.imaps_port, "tls", good_certs)
    wrong = settings(submission.imaps_port, "tls", good_certs)
    saved = accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), receiving, smtp=wrong)
    assert (saved["saved"], saved["smtp_saved"]) == (True, False)
    assert saved["check"]["smtp"]["outcome"] == "imap_port"
    assert "sending settings were not saved" in saved["message"]
    [account] = Index().load()
    assert account.smtp is None
    assert account.last_smtp_outcome is None  # nothing saved for sending: nothing watched
    _, sent = accounts.check_stored_both(EMAIL, None, 5, True)
    assert not isinstance(sent, CheckResult)
    assert sent.code == "account_not_found"


def test_rotation_without_smtp_keeps_the_saved_sending_server(
    keyring_env: dict[str, str], submission: Dovecot, good_certs: CertSet
) -> None:
    """Saving a new password for receiving alone keeps the sending server saved before."""
    receiving = settings(submission.imaps_port, "tls", good_certs)
    sending = settings(submission.submissions_port, "tls", good_certs)
    accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), receiving, smtp=sending)
    again = accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), receiving)
    assert again["rotated"] is True
    assert again["account"]["smtp"]["port"] == submission.submissions_port
    assert "smtp" not in again["check"]
    assert json.dumps(again).count(ACCOUNTS[EMAIL]) == 0
