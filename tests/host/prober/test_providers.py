"""The provider table: well-known domains answered at once (custom domains: tests/host/discover)."""

from __future__ import annotations

import pytest

from imapkey.prober.providers import suggest


@pytest.mark.parametrize(
    ("email", "provider", "host"),
    [
        ("a@gmail.com", "gmail", "imap.gmail.com"),
        ("a@GoogleMail.com", "gmail", "imap.gmail.com"),
        ("a@yahoo.com", "yahoo", "imap.mail.yahoo.com"),
        ("a@me.com", "icloud", "imap.mail.me.com"),
        ("a@mac.com", "icloud", "imap.mail.me.com"),
        ("a@aol.com", "aol", "imap.aol.com"),
        ("a@fastmail.com", "fastmail", "imap.fastmail.com"),
        ("a@zoho.com", "zoho", "imap.zoho.com"),
        ("a@gmx.de", "gmx", "imap.gmx.net"),
        ("a@hotmail.com", "microsoft", "outlook.office365.com"),
    ],
)
def test_known_domains(email: str, provider: str, host: str) -> None:
    """Well-known domains are answered from the table, port 993 over SSL/TLS."""
    found = suggest(email)
    assert found.provider is not None
    assert (found.provider.id, found.host, found.port, found.security, found.source) == (
        provider,
        host,
        993,
        "tls",
        "preset",
    )


def test_microsoft_is_flagged() -> None:
    """Outlook.com is marked as accepting no app passwords, with a note saying so."""
    found = suggest("a@outlook.com")
    assert found.provider is not None
    assert not found.provider.accepts_app_passwords
    assert any("OAuth" in n for n in found.notes)


@pytest.mark.parametrize(
    ("email", "sending"),
    [
        ("a@gmail.com", ("smtp.gmail.com", 465, "tls")),
        ("a@hotmail.com", ("smtp-mail.outlook.com", 587, "starttls")),
        ("a@icloud.com", ("smtp.mail.me.com", 587, "starttls")),
        ("a@yahoo.com", ("smtp.mail.yahoo.com", 465, "tls")),
        ("a@fastmail.com", ("smtp.fastmail.com", 465, "tls")),
    ],
)
def test_presets_carry_the_sending_server(email: str, sending: tuple[str, int, str]) -> None:
    """A preset names the outgoing (SMTP submission) server as well as the IMAP one."""
    found = suggest(email)
    assert found.submission is not None
    assert (found.submission.host, found.submission.port, found.submission.security) == sending


def test_every_provider_has_a_sending_server() -> None:
    """No provider in the table leaves sending unanswered."""
    from imapkey.prober.providers import PROVIDERS

    assert [p.id for p in PROVIDERS if p.smtp is None] == []
