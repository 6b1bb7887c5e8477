"""Which sending server a check may use without asking: the provider's, the domain's own, and
never an unauthenticated DNS answer pointing somewhere else."""

from __future__ import annotations

import pytest

from imapkey.errors import ImapkeyError
from imapkey.prober import check
from imapkey.prober.providers import Endpoint, Suggestion


def suggestion(host: str, source: str, confirm: bool = False) -> Suggestion:
    return Suggestion(
        None,
        "imap.example.org",
        993,
        "tls",
        source,  # type: ignore[arg-type]
        (),
        confirm=confirm,
        submission=Endpoint(host, 465, "tls"),
    )


@pytest.mark.parametrize(
    ("host", "source", "vouched"),
    [
        ("smtp.example.org", "srv", True),
        ("example.org", "srv", True),
        ("smtp.gmail.com", "srv", True),  # a known provider's sending server
        ("mail.attacker.test", "srv", False),
        ("smtp.example.org.attacker.test", "srv", False),
        ("mail.hoster.test", "autoconfig", True),  # the domain's own file, over HTTPS
        ("mail.hoster.test", "ispdb", True),
    ],
)
def test_vouched_for(host: str, source: str, vouched: bool) -> None:
    """An SRV target outside the domain is a guess; config files and presets vouch."""
    assert check.vouched_for(host, "me@example.org", source) is vouched


def test_an_srv_sending_server_elsewhere_needs_confirming(monkeypatch: pytest.MonkeyPatch) -> None:
    """settings_for(..., "smtp") refuses it with server_unconfirmed naming --smtp-host, while
    the IMAP server of the same answer is used."""
    found = suggestion("mail.attacker.test", "srv")
    monkeypatch.setattr(check, "suggest", lambda email, lookup=True: found)
    server, _ = check.settings_for("me@example.org", True, "imap")
    assert server.host == "imap.example.org"
    with pytest.raises(ImapkeyError) as caught:
        check.settings_for("me@example.org", True, "smtp")
    assert caught.value.code == "server_unconfirmed"
    assert "--smtp-host mail.attacker.test" in caught.value.hint


def test_a_guess_is_refused_for_sending_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the receiving server is only a guess, so is the sending one."""
    found = suggestion("smtp.example.org", "guess", confirm=True)
    monkeypatch.setattr(check, "suggest", lambda email, lookup=True: found)
    with pytest.raises(ImapkeyError) as caught:
        check.settings_for("me@example.org", True, "smtp")
    assert caught.value.code == "server_unconfirmed"
    assert "sending (SMTP) server" in caught.value.message


def test_no_sending_server_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """No submission known: invalid_request saying how to name one."""
    found = Suggestion(None, "imap.example.org", 993, "tls", "autoconfig", ())
    monkeypatch.setattr(check, "suggest", lambda email, lookup=True: found)
    with pytest.raises(ImapkeyError) as caught:
        check.settings_for("me@example.org", True, "smtp")
    assert caught.value.code == "invalid_request"
    assert "--smtp-host" in caught.value.hint
