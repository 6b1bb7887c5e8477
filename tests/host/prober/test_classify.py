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


@pytest.mark.parametrize(
    ("line", "outcome"),
    [
        (b"a NO [UNAVAILABLE] Account is temporarily unavailable.", "server_unavailable"),
        (b"a NO [LIMIT] Rate limit hit.", "throttled"),
        (b"a NO [CONTACTADMIN] Contact your administrator", "policy_refused"),
        (b"a BAD [CLIENTBUG] syntax: Invalid sasl Argument", "protocol_error"),
        (
            b"a NO [UNAVAILABLE] Maximum number of connections from user+IP exceeded",
            "too_many_connections",
        ),
        (b"a NO [ALERT] Login not allowed from your country", "policy_refused"),
        (b"a NO Access denied, traffic not accepted from this IP", "policy_refused"),
    ],
)
def test_codes_outrank_vague_words_but_not_precise_ones(line: bytes, outcome: str) -> None:
    """A response code beats vague words ("temporarily"); a text naming one cause beats both."""
    assert classify.refusal(parse_line(line), [], None).outcome == outcome


def test_microsoft_blocked_account_wants_the_browser() -> None:
    """Outlook's 'Account is blocked ... via a web browser' is web_login_required, not the
    no-passwords rule every other bare Microsoft refusal gets."""
    line = (
        b"a NO LOGIN failed. Account is blocked. Login to your account via a web browser to "
        b"verify your identity."
    )
    assert classify.refusal(parse_line(line), [], "microsoft").outcome == "web_login_required"


def test_two_causes_get_a_hint_naming_both() -> None:
    """Yandex's 'Invalid credentials or IMAP is disabled' is auth_failed with a hint about
    both the password and switching IMAP on."""
    line = b"2 NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials or IMAP is disabled sc=x"
    verdict = classify.refusal(parse_line(line), [], None, "yandex.com")
    assert verdict.outcome == "auth_failed"
    assert verdict.hint is not None
    assert "IMAP access is on" in verdict.hint
    assert "password" in verdict.hint


@pytest.mark.parametrize(
    ("provider", "domain", "host", "name"),
    [
        ("gmx", "gmx.net", "imap.gmx.net", "GMX"),
        (None, "gmx.de", "localhost", "GMX"),
        (None, "web.de", "imap.web.de", "WEB.DE"),
        (None, "example.org", "imap.web.de", "WEB.DE"),
        (None, "mail.com", "imap.mail.com", "mail.com"),
    ],
)
def test_imap_off_by_default_says_where_to_switch_it_on(
    provider: str | None, domain: str, host: str, name: str
) -> None:
    """GMX, WEB.DE and mail.com say only 'authentication failed' while IMAP is off: the hint
    names the setting, by provider, address domain or server name."""
    verdict = classify.refusal(
        parse_line(b"a NO authentication failed"), [], provider, domain, host
    )
    assert verdict.outcome == "auth_failed"
    assert verdict.hint is not None
    assert name in verdict.hint
    assert "POP3/IMAP" in verdict.hint


def test_other_providers_keep_the_default_hint() -> None:
    """A bare refusal elsewhere keeps the default auth_failed hint."""
    verdict = classify.refusal(parse_line(b"a NO authentication failed"), [], None, "example.org")
    assert verdict == classify.Verdict("auth_failed")


@pytest.mark.parametrize(
    ("line", "outcome", "hinted"),
    [
        (b"k2 BAD User is authenticated but not connected.", "mailbox_unavailable", False),
        (
            b"k2 NO EXAMINE Unsafe Login. Please contact kefu@188.com for help",
            "mailbox_unavailable",
            True,
        ),
        (b"k2 NO [LIMIT] CAPABILITY Rate limit hit.", "throttled", False),
        (b"k2 NO [UNAVAILABLE] Internal error", "server_unavailable", False),
    ],
)
def test_after_login(line: bytes, outcome: str, hinted: bool) -> None:
    """A failure right after an accepted login is mailbox_unavailable unless it names a limit
    or the server's own trouble; NetEase's 'Unsafe Login' gets its own hint."""
    verdict = classify.after_login(parse_line(line), [])
    assert verdict.outcome == outcome
    assert (verdict.hint is not None) == hinted
