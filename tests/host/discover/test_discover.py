"""Discovery against real DNS and HTTPS servers on loopback: every source, their order, the
budget, the cache, and the switch that keeps domains away from Mozilla."""

from __future__ import annotations

import time

import pytest

from host.discover.conftest import config_xml
from imapkey.discover import cache
from imapkey.discover.run import clear_cache, discover
from imapkey.prober.providers import Endpoint, suggest
from support.netfakes import DnsServer, HttpsServer

Net = tuple[DnsServer, HttpsServer]
AUTOCONFIG = "/mail/config-v1.1.xml"
WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml"


def test_domain_autoconfig(net: Net) -> None:
    """autoconfig.<domain> over HTTPS names the server, its sending server, and is trusted."""
    _, web = net
    web.documents[("autoconfig.ac.test", AUTOCONFIG)] = (200, config_xml("mail.ac.test"))
    found = suggest("me@ac.test")
    assert (found.host, found.port, found.security, found.source) == (
        "mail.ac.test",
        993,
        "tls",
        "autoconfig",
    )
    assert not found.confirm
    assert found.submission == Endpoint("smtp.ac.test", 465, "tls")
    assert found.name == "Example Mail"
    assert any("ac.test's own autoconfig" in n for n in found.notes)


def test_well_known_autoconfig(net: Net) -> None:
    """The domain's /.well-known/autoconfig file is read when autoconfig.<domain> is absent."""
    _, web = net
    web.documents[("wk.test", WELL_KNOWN)] = (200, config_xml("imap.wk.test", 143, "STARTTLS"))
    found = suggest("me@wk.test")
    assert (found.host, found.port, found.security, found.source) == (
        "imap.wk.test",
        143,
        "starttls",
        "autoconfig",
    )


def test_ispdb(net: Net) -> None:
    """Mozilla's ISPDB answers for a domain that publishes nothing itself."""
    _, web = net
    web.documents[("ispdb.test", "/v1.1/isp.test")] = (200, config_xml("imap.isp-mail.test"))
    found = suggest("me@isp.test")
    assert (found.host, found.source, found.confirm) == ("imap.isp-mail.test", "ispdb", False)


def test_no_lookup_keeps_the_domain_from_mozilla(net: Net, monkeypatch: pytest.MonkeyPatch) -> None:
    """lookup=False, or IMAPKEY_NO_LOOKUP=1, never asks the ISPDB about the domain."""
    _, web = net
    web.documents[("ispdb.test", "/v1.1/isp.test")] = (200, config_xml("imap.isp-mail.test"))
    found = suggest("me@isp.test", lookup=False)
    assert found.source == "guess"
    assert "look-ups are off" in found.notes[0]
    monkeypatch.setenv("IMAPKEY_NO_LOOKUP", "1")
    assert suggest("me@isp.test").source == "guess"
    assert not [r for r in web.requests if r[0] == "ispdb.test"]


def test_srv_records(net: Net) -> None:
    """RFC 6186 _imaps SRV inside the domain is trusted; _submissions is kept for sending."""
    dns, _ = net
    dns.add("_imaps._tcp.srv.test", "SRV", "10 0 993 mail.srv.test.")
    dns.add("_imap._tcp.srv.test", "SRV", "10 0 143 mail.srv.test.")
    dns.add("_submissions._tcp.srv.test", "SRV", "10 0 465 out.srv.test.")
    found = suggest("me@srv.test")
    assert (found.host, found.port, found.security, found.source) == (
        "mail.srv.test",
        993,
        "tls",
        "srv",
    )
    assert not found.confirm
    assert found.submission == Endpoint("out.srv.test", 465, "tls")


def test_srv_starttls_and_not_offered(net: Net) -> None:
    """`_imaps` saying "not offered here" (target ".") falls to `_imap` with STARTTLS."""
    dns, _ = net
    dns.add("_imaps._tcp.srv2.test", "SRV", "0 0 0 .")
    dns.add("_imap._tcp.srv2.test", "SRV", "0 0 143 imap.srv2.test.")
    found = suggest("me@srv2.test")
    assert (found.host, found.port, found.security, found.source) == (
        "imap.srv2.test",
        143,
        "starttls",
        "srv",
    )


def test_srv_outside_the_domain_needs_confirmation(net: Net) -> None:
    """An SRV record pointing at a stranger's host is unauthenticated: confirm first."""
    dns, _ = net
    dns.add("_imaps._tcp.out.test", "SRV", "0 0 993 imap.elsewhere.example.")
    found = suggest("me@out.test")
    assert (found.host, found.source, found.confirm) == ("imap.elsewhere.example", "srv", True)
    assert any("outside out.test" in n for n in found.notes)


def test_mx_of_a_known_provider(net: Net) -> None:
    """MX records at Google mean Gmail's server, with Google's notes."""
    dns, _ = net
    dns.add("ws.test", "MX", "10 aspmx.l.google.com.", "20 alt1.aspmx.l.google.com.")
    found = suggest("me@ws.test")
    assert found.provider is not None
    assert (found.provider.id, found.host, found.source) == ("gmail", "imap.gmail.com", "mx")


@pytest.mark.parametrize(
    ("mx", "provider"),
    [
        ("mx00.gmx.net.", "gmx"),
        ("mx-ha01.web.de.", "webde"),
        ("mx.yandex.net.", "yandex"),
        ("mxs.mail.ru.", "mailru"),
        ("mail.protonmail.ch.", "proton"),
        ("m365.mail.protection.outlook.com.", "microsoft"),
    ],
)
def test_mx_of_new_presets(net: Net, mx: str, provider: str) -> None:
    """The added providers are recognised by their mail exchangers too."""
    dns, _ = net
    dns.add("custom.test", "MX", f"10 {mx}")
    found = suggest("me@custom.test")
    assert found.provider is not None
    assert (found.provider.id, found.source) == (provider, "mx")


def test_ispdb_of_the_mx_domain(net: Net) -> None:
    """An unknown MX's own domain is looked up in the ISPDB, as Thunderbird does."""
    dns, web = net
    dns.add("hosted.test", "MX", "10 mx1.mailhost.test.")
    web.documents[("ispdb.test", "/v1.1/mailhost.test")] = (200, config_xml("imap.mailhost.test"))
    found = suggest("me@hosted.test")
    assert (found.host, found.source, found.confirm) == ("imap.mailhost.test", "ispdb", False)
    assert any("mx1.mailhost.test" in n for n in found.notes)


def test_the_domains_own_file_outranks_the_rest(net: Net) -> None:
    """With autoconfig, ISPDB, SRV and MX all answering, the domain's own file wins."""
    dns, web = net
    web.documents[("autoconfig.both.test", AUTOCONFIG)] = (200, config_xml("own.both.test"))
    web.documents[("ispdb.test", "/v1.1/both.test")] = (200, config_xml("ispdb.both.test"))
    dns.add("_imaps._tcp.both.test", "SRV", "0 0 993 srv.both.test.")
    dns.add("both.test", "MX", "10 aspmx.l.google.com.")
    found = suggest("me@both.test")
    assert (found.host, found.source) == ("own.both.test", "autoconfig")


def test_lookup_failure_is_a_guess_to_confirm(net: Net) -> None:
    """When every source fails, imap.<domain>:993 is offered as a guess that needs confirming."""
    dns, _ = net
    dns.fail.add("broken.test")
    found = suggest("me@broken.test")
    assert (found.provider, found.host, found.port, found.source, found.confirm) == (
        None,
        "imap.broken.test",
        993,
        "guess",
        True,
    )
    assert any("only a guess" in n for n in found.notes)


def test_a_resolver_that_never_answers_costs_two_seconds(net: Net) -> None:
    """Discovery obeys its 2 s budget even when DNS never answers."""
    dns, _ = net
    dns.silent.add("mute.test")
    start = time.monotonic()
    found = suggest("me@mute.test")
    assert found.source == "guess"
    assert time.monotonic() - start < 2.6


def test_the_best_answer_comes_without_waiting_for_slow_ones(net: Net) -> None:
    """A slow web server does not delay an SRV answer once better sources have failed... and
    a slow domain autoconfig is still waited for, up to the budget, since it ranks first."""
    dns, web = net
    dns.add("_imaps._tcp.quick.test", "SRV", "0 0 993 imap.quick.test.")
    start = time.monotonic()
    assert suggest("me@quick.test").source == "srv"
    assert time.monotonic() - start < 1.0
    web.delay["autoconfig.slow.test"] = 1.0
    web.documents[("autoconfig.slow.test", AUTOCONFIG)] = (200, config_xml("imap.slow.test"))
    dns.add("_imaps._tcp.slow.test", "SRV", "0 0 993 srv.slow.test.")
    assert suggest("me@slow.test").source == "autoconfig"


def test_results_are_cached(net: Net) -> None:
    """A second suggestion for the same domain asks the network nothing."""
    dns, _ = net
    dns.add("_imaps._tcp.cached.test", "SRV", "0 0 993 imap.cached.test.")
    first = discover("cached.test")
    asked = len(dns.asked)
    assert discover("cached.test") is first
    assert len(dns.asked) == asked


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><clientConfig/>',
        b"<clientConfig><emailProvider>" + b"x" * 200_000,
        b"this is not XML",
    ],
    ids=["entities", "oversized", "garbage"],
)
def test_hostile_files_are_refused(net: Net, body: bytes) -> None:
    """An entity bomb, an oversized or a broken file is ignored; discovery moves on."""
    dns, web = net
    web.documents[("autoconfig.bad.test", AUTOCONFIG)] = (200, body)
    dns.add("_imaps._tcp.bad.test", "SRV", "0 0 993 imap.bad.test.")
    assert suggest("me@bad.test").source == "srv"


def test_plaintext_only_config_is_not_used(net: Net) -> None:
    """A file offering IMAP only without TLS is skipped: no password on a plain wire."""
    dns, web = net
    web.documents[("autoconfig.plain.test", AUTOCONFIG)] = (
        200,
        config_xml("imap.plain.test", 143, "plain"),
    )
    dns.fail.add("plain.test")
    found = suggest("me@plain.test")
    assert found.source == "guess"


def test_presets_never_touch_the_network(net: Net) -> None:
    """Well-known domains answer from the table without a single DNS question."""
    dns, _ = net
    for email, provider, host in [
        ("a@web.de", "webde", "imap.web.de"),
        ("a@mail.com", "mailcom", "imap.mail.com"),
        ("a@yandex.ru", "yandex", "imap.yandex.com"),
        ("a@inbox.ru", "mailru", "imap.mail.ru"),
        ("a@aol.co.uk", "aol", "imap.aol.com"),
        ("a@me.com", "icloud", "imap.mail.me.com"),
        ("a@gmx.ch", "gmx", "imap.gmx.net"),
    ]:
        found = suggest(email)
        assert found.provider is not None
        assert (found.provider.id, found.host, found.source) == (provider, host, "preset")
    bridge = suggest("a@proton.me")
    assert (bridge.host, bridge.port, bridge.security) == ("127.0.0.1", 1143, "starttls")
    assert any("Bridge" in n for n in bridge.notes)
    assert dns.asked == []


def test_international_domains_are_asked_in_their_ascii_form(net: Net) -> None:
    """An IDN address is looked up as its A-label (xn--) form, on DNS and HTTPS alike."""
    dns, _ = net
    dns.add("_imaps._tcp.xn--bcher-kva.test", "SRV", "0 0 993 imap.xn--bcher-kva.test.")
    found = suggest("me@bücher.test")
    assert (found.host, found.source) == ("imap.xn--bcher-kva.test", "srv")


def test_a_new_process_reads_the_answer_from_disk(net: Net) -> None:
    """With the in-memory cache gone (a new host), the answer comes from the cache file,
    readable by the user alone; a damaged file is a miss, not an error."""
    dns, _ = net
    dns.add("_imaps._tcp.disk.test", "SRV", "0 0 993 imap.disk.test.")
    dns.add("_submissions._tcp.disk.test", "SRV", "0 0 465 smtp.disk.test.")
    first = discover("disk.test")
    clear_cache()
    asked = len(dns.asked)
    again = discover("disk.test")
    assert again == first
    assert len(dns.asked) == asked
    assert cache.path().stat().st_mode & 0o077 == 0
    cache.path().write_text("{not json")
    clear_cache()
    assert discover("disk.test") == first
    assert len(dns.asked) > asked
