"""Checks against a real Dovecot on loopback, over implicit TLS and STARTTLS."""

from __future__ import annotations

import json
import logging
import time

import pytest
from pydantic import SecretStr

from imapkey.prober.check import CheckRequest, run
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot


def check(
    email: str,
    password: str,
    port: int,
    security: str,
    ca_file: str | None,
    host: str = "localhost",
    timeout: float = 5,
    force: bool = False,
) -> CheckResult:
    server = ServerSettings(host=host, port=port, security=security, ca_file=ca_file)
    return run(CheckRequest(email, SecretStr(password), server, timeout, force))


def stage_names(result: CheckResult) -> list[str]:
    return [s.name for s in result.stages]


@pytest.mark.parametrize("email", list(ACCOUNTS))
def test_every_account_logs_in_over_tls(dovecot: Dovecot, good_certs: CertSet, email: str) -> None:
    """Plain, non-ASCII, and quote/backslash/space passwords all log in over implicit TLS:
    LOGIN for ASCII ones, AUTHENTICATE PLAIN for the non-ASCII one, and Dovecot answers the
    EXAMINE pipelined behind either."""
    result = check(email, ACCOUNTS[email], dovecot.imaps_port, "tls", str(good_certs.ca_file))
    assert result.outcome == "ok", result
    assert result.ok
    login = next(s for s in result.stages if s.name == "login")
    ascii_password = ACCOUNTS[email].isascii()
    assert login.detail.startswith("LOGIN:" if ascii_password else "AUTHENTICATE PLAIN:")
    assert next(s for s in result.stages if s.name == "mailbox").ok
    assert stage_names(result) == [
        "dns",
        "connect",
        "tls",
        "greeting",
        "login",
        "mailbox",
        "logout",
    ]
    assert all(s.ok for s in result.stages)


@pytest.mark.parametrize("email", list(ACCOUNTS))
def test_every_account_logs_in_over_starttls(
    dovecot: Dovecot, good_certs: CertSet, email: str
) -> None:
    """The same accounts log in over STARTTLS; no CAPABILITY round trip (the greeting had it)."""
    result = check(email, ACCOUNTS[email], dovecot.imap_port, "starttls", str(good_certs.ca_file))
    assert result.outcome == "ok", result
    assert stage_names(result) == [
        "dns",
        "connect",
        "greeting",
        "starttls",
        "tls",
        "login",
        "mailbox",
        "logout",
    ]


def test_wrong_password_is_auth_failed_with_server_words(
    dovecot: Dovecot, good_certs: CertSet
) -> None:
    """A wrong password says auth_failed, with Dovecot's own words and the hint."""
    result = check("alice@example.com", "nope", dovecot.imaps_port, "tls", str(good_certs.ca_file))
    assert result.outcome == "auth_failed"
    assert not result.ok
    assert result.server_text is not None
    assert "[AUTHENTICATIONFAILED]" in result.server_text
    assert "revoked" in result.hint


def test_tls_chosen_on_starttls_port_is_diagnosed_at_once(
    dovecot: Dovecot, good_certs: CertSet
) -> None:
    """SSL/TLS against the plain port: security_mismatch from the greeting, no waiting."""
    started = time.monotonic()
    result = check("alice@example.com", "x", dovecot.imap_port, "tls", str(good_certs.ca_file))
    assert result.outcome == "security_mismatch"
    assert "STARTTLS" in result.hint
    assert time.monotonic() - started < 1


def test_starttls_chosen_on_tls_port_is_diagnosed_in_under_a_second(
    dovecot: Dovecot, good_certs: CertSet
) -> None:
    """STARTTLS against the implicit-TLS port: the silent port is probed, not waited out."""
    started = time.monotonic()
    result = check(
        "alice@example.com",
        "x",
        dovecot.imaps_port,
        "starttls",
        str(good_certs.ca_file),
        timeout=10,
    )
    assert result.outcome == "security_mismatch"
    assert "SSL/TLS" in result.hint
    assert time.monotonic() - started < 1.5


def test_unknown_ca_is_cert_untrusted(dovecot: Dovecot) -> None:
    """Without the test CA the certificate is untrusted and no password is sent."""
    result = check(
        "alice@example.com", ACCOUNTS["alice@example.com"], dovecot.imaps_port, "tls", None
    )
    assert result.outcome == "cert_untrusted"
    assert stage_names(result)[-1] == "tls"


def test_ca_file_from_environment(
    dovecot: Dovecot, good_certs: CertSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IMAPKEY_CA_FILE adds a trusted CA like --ca-file does."""
    monkeypatch.setenv("IMAPKEY_CA_FILE", str(good_certs.ca_file))
    result = check(
        "alice@example.com", ACCOUNTS["alice@example.com"], dovecot.imaps_port, "tls", None
    )
    assert result.outcome == "ok"


def test_expired_certificate(dovecot_expired: Dovecot, good_certs: CertSet) -> None:
    """An expired certificate is cert_expired."""
    result = check(
        "alice@example.com", "x", dovecot_expired.imaps_port, "tls", str(good_certs.ca_file)
    )
    assert result.outcome == "cert_expired"


def test_certificate_for_another_host(dovecot_wrong_host: Dovecot, good_certs: CertSet) -> None:
    """A certificate naming another host is cert_hostname_mismatch, also after STARTTLS."""
    for port, security in (
        (dovecot_wrong_host.imaps_port, "tls"),
        (dovecot_wrong_host.imap_port, "starttls"),
    ):
        result = check("alice@example.com", "x", port, security, str(good_certs.ca_file))
        assert result.outcome == "cert_hostname_mismatch", security


def test_ip_address_host(dovecot: Dovecot, good_certs: CertSet) -> None:
    """A server given by IP address is verified against the certificate's IP entries."""
    result = check(
        "alice@example.com",
        ACCOUNTS["alice@example.com"],
        dovecot.imaps_port,
        "tls",
        str(good_certs.ca_file),
        host="127.0.0.1",
    )
    assert result.outcome == "ok"


def test_three_failures_pause_the_account(dovecot: Dovecot, good_certs: CertSet) -> None:
    """After 3 failed logins the 4th check answers locked_out_locally without connecting;
    --force checks anyway, and a success clears the count."""
    ca = str(good_certs.ca_file)
    for _ in range(3):
        assert check("alice@example.com", "bad", dovecot.imaps_port, "tls", ca).outcome == (
            "auth_failed"
        )
    paused = check(
        "alice@example.com", ACCOUNTS["alice@example.com"], dovecot.imaps_port, "tls", ca
    )
    assert paused.outcome == "locked_out_locally"
    assert stage_names(paused) == ["precheck"]
    forced = check(
        "alice@example.com",
        ACCOUNTS["alice@example.com"],
        dovecot.imaps_port,
        "tls",
        ca,
        force=True,
    )
    assert forced.outcome == "ok"
    again = check("alice@example.com", ACCOUNTS["alice@example.com"], dovecot.imaps_port, "tls", ca)
    assert again.outcome == "ok"


def test_canary_password_never_leaks(
    dovecot: Dovecot, good_certs: CertSet, caplog: pytest.LogCaptureFixture
) -> None:
    """The password appears in no result, log record or repr, whether it works or not."""
    canary = ACCOUNTS["canary@example.com"]
    logging.getLogger("imapkey").propagate = True
    with caplog.at_level(logging.DEBUG):
        results = [
            check("canary@example.com", canary, dovecot.imaps_port, "tls", str(good_certs.ca_file)),
            check("alice@example.com", canary, dovecot.imaps_port, "tls", str(good_certs.ca_file)),
            check("alice@example.com", canary, dovecot.imap_port, "tls", str(good_certs.ca_file)),
        ]
    assert [r.outcome for r in results] == ["ok", "auth_failed", "security_mismatch"]
    for result in results:
        assert canary not in json.dumps(result.model_dump(mode="json"))
        assert canary not in repr(result)
    assert canary not in caplog.text
