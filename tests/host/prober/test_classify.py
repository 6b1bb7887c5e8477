"""Refusals are read from the server's own words; odd greetings name the port's protocol."""

from __future__ import annotations

import pytest

from imapkey.prober import classify
from imapkey.prober.wire import parse_line


@pytest.mark.parametrize(
    ("line", "provider", "outcome"),
    [
        (b"a NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)", "gmail", "auth_failed"),
        (b"a NO [UNAVAILABLE] Temporary authentication failure.", None, "server_unavailable"),
        (b"a NO [ALERT] Too many login attempts, try again later", "yahoo", "throttled"),
        (b"a NO LOGIN failed.", "microsoft", "basic_auth_disabled"),
        (b"a NO [PRIVACYREQUIRED] Plaintext authentication disallowed", None, "login_disabled"),
        (b"a BAD Error in IMAP command", None, "protocol_error"),
        (b"a NO Login failed", None, "auth_failed"),
    ],
)
def test_refusals(line: bytes, provider: str | None, outcome: str) -> None:
    """Each documented refusal text maps to its outcome."""
    assert classify.refusal(parse_line(line), [], provider).outcome == outcome


def test_untagged_webalert_wins() -> None:
    """Gmail's untagged WEBALERT decides the outcome even when the tagged NO is generic."""
    untagged = [parse_line(b"* NO [WEBALERT https://x] Web login required.")]
    verdict = classify.refusal(parse_line(b"a NO [ALERT] (Failure)"), untagged, "gmail")
    assert verdict.outcome == "web_login_required"


@pytest.mark.parametrize(
    ("line", "outcome"),
    [
        (b"* OK [CAPABILITY IMAP4rev1] ready", None),
        (b"* PREAUTH ready", None),
        (b"* BYE shutting down", "server_unavailable"),
        (b"+OK Gpop ready", "pop3_port"),
        (b"-ERR no", "pop3_port"),
        (b"220 smtp.example.com ESMTP", "smtp_port"),
        (b"220-smtp.example.com", "smtp_port"),
        (b"HTTP/1.1 400 Bad Request", "not_imap"),
    ],
)
def test_greetings(line: bytes, outcome: str | None) -> None:
    """A first line other than an IMAP greeting names what the port speaks."""
    assert classify.greeting(line) == outcome
