"""Provider settings: well-known domains from the table, custom domains by real MX look-ups."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import dns.message
import dns.rcode
import dns.resolver
import dns.rrset
import pytest

from imapkey.prober.providers import suggest

MX = {
    "workspace.test.": ["10 aspmx.l.google.com.", "20 alt1.aspmx.l.google.com."],
    "m365.test.": ["0 m365-test.mail.protection.outlook.com."],
    "self-hosted.test.": ["10 mx.self-hosted.test."],
}


@pytest.fixture(scope="module")
def resolver() -> Iterator[dns.resolver.Resolver]:
    """A real DNS server on loopback (UDP) answering MX queries from MX above."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            reply = dns.message.make_response(query)
            name = query.question[0].name.to_text()
            if name in MX:
                reply.answer.append(dns.rrset.from_text_list(name, 60, "IN", "MX", MX[name]))
            else:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(reply.to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = sock.getsockname()[1]
    yield res
    stop.set()
    thread.join()
    sock.close()


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
        "domain",
    )


def test_microsoft_is_flagged() -> None:
    """Outlook.com is marked as accepting no app passwords, with a note saying so."""
    found = suggest("a@outlook.com")
    assert found.provider is not None
    assert not found.provider.accepts_app_passwords
    assert any("OAuth" in n for n in found.notes)


def test_google_workspace_by_mx(resolver: dns.resolver.Resolver) -> None:
    """A custom domain whose MX is Google's gets Gmail's settings."""
    found = suggest("me@workspace.test", resolver)
    assert found.provider is not None
    assert (found.provider.id, found.host, found.source) == ("gmail", "imap.gmail.com", "mx")


def test_microsoft_365_by_mx(resolver: dns.resolver.Resolver) -> None:
    """A custom domain on Microsoft 365 is recognised from its MX."""
    found = suggest("me@m365.test", resolver)
    assert found.provider is not None
    assert found.provider.id == "microsoft"


def test_unknown_mx_is_a_stated_guess(resolver: dns.resolver.Resolver) -> None:
    """An unrecognised MX falls back to imap.<domain>:993 and says it is a guess."""
    found = suggest("me@self-hosted.test", resolver)
    assert (found.provider, found.host, found.port, found.source) == (
        None,
        "imap.self-hosted.test",
        993,
        "guess",
    )
    assert any("guess" in n for n in found.notes)


def test_dns_failure_falls_back_quickly() -> None:
    """An unreachable resolver falls back within the MX time limit, saying why."""
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = 9  # discard: nothing answers
    found = suggest("me@nowhere.test", res)
    assert found.source == "guess"
    assert any("Could not look up" in n for n in found.notes)
