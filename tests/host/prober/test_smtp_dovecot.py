"""The sending check against Dovecot's real submission service on loopback (465- and 587-style
ports, trustme certificates), checked side by side with IMAP."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from imapkey.prober.check import CheckRequest, run, run_pair
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot

SMTP_LADDERS = {
    "tls": ["dns", "connect", "tls", "greeting", "ehlo", "auth", "quit"],
    "starttls": ["dns", "connect", "greeting", "ehlo", "starttls", "tls", "ehlo", "auth", "quit"],
}


def request(
    email: str, password: str, port: int, security: str, certs: CertSet, protocol: str = "smtp"
) -> CheckRequest:
    server = ServerSettings(
        host="localhost", port=port, security=security, ca_file=str(certs.ca_file)
    )
    return CheckRequest(email, SecretStr(password), server, 5, True, protocol)  # type: ignore[arg-type]


def port_for(submission: Dovecot, security: str) -> int:
    return submission.submissions_port if security == "tls" else submission.submission_port


@pytest.mark.parametrize("security", ["tls", "starttls"])
@pytest.mark.parametrize("email", ["alice@example.com", "uni@example.com", "quote@example.com"])
def test_signs_in_over_both_ports(
    submission: Dovecot, good_certs: CertSet, security: str, email: str
) -> None:
    """Plain, non-ASCII and quote/backslash/space passwords sign in for sending on both
    ports, climbing the whole ladder."""
    port = port_for(submission, security)
    result = run(request(email, ACCOUNTS[email], port, security, good_certs))
    assert result.outcome == "ok", (result, submission.log()[-2000:])
    assert [s.name for s in result.stages] == SMTP_LADDERS[security]
    assert all(s.ok for s in result.stages)


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_wrong_password_is_auth_failed(
    submission: Dovecot, good_certs: CertSet, security: str
) -> None:
    """Dovecot's 535 5.7.8 is auth_failed, with its own words."""
    port = port_for(submission, security)
    result = run(request("alice@example.com", "wrong-pw", port, security, good_certs))
    assert result.outcome == "auth_failed"
    assert result.server_text is not None
    assert "535 5.7.8" in result.server_text


def test_security_mismatch_both_ways(submission: Dovecot, good_certs: CertSet) -> None:
    """SSL/TLS on the STARTTLS port and STARTTLS on the SSL/TLS port are security_mismatch."""
    email, password = "alice@example.com", ACCOUNTS["alice@example.com"]
    wrong = run(request(email, password, submission.submission_port, "tls", good_certs))
    assert wrong.outcome == "security_mismatch"
    other = run(request(email, password, submission.submissions_port, "starttls", good_certs))
    assert other.outcome == "security_mismatch"


def test_imap_port_given_for_sending(submission: Dovecot, good_certs: CertSet) -> None:
    """The IMAP port named as the sending server: imap_port."""
    email, password = "alice@example.com", ACCOUNTS["alice@example.com"]
    result = run(request(email, password, submission.imaps_port, "tls", good_certs))
    assert result.outcome == "imap_port"


def test_receiving_and_sending_checked_together(submission: Dovecot, good_certs: CertSet) -> None:
    """One pair check gives both results from the same real server."""
    email, password = "alice@example.com", ACCOUNTS["alice@example.com"]
    receiving = request(email, password, submission.imaps_port, "tls", good_certs, "imap")
    sending = request(email, password, submission.submission_port, "starttls", good_certs)
    imap_result, smtp_result = run_pair(receiving, sending)
    assert imap_result.outcome == "ok"
    assert isinstance(smtp_result, CheckResult)
    assert smtp_result.outcome == "ok"
    assert smtp_result.server.port == submission.submission_port
