"""Local DNS and HTTPS servers, and discovery pointed at them through its settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from imapkey.discover.run import clear_cache
from support.netfakes import DnsServer, HttpsServer, loopback_address

WEB_HOSTS = (
    "ispdb.test",
    "autoconfig.ac.test",
    "wk.test",
    "autoconfig.both.test",
    "autoconfig.bad.test",
    "autoconfig.plain.test",
    "autoconfig.slow.test",
)


@pytest.fixture(scope="session")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def https_server(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> Iterator[HttpsServer]:
    """On port 443 of a random loopback address: autoconfig URLs name no port."""
    server = HttpsServer(tmp_path_factory.mktemp("https"), ca, WEB_HOSTS, loopback_address())
    yield server
    server.close()


@pytest.fixture
def net(
    dns_server: DnsServer,
    https_server: HttpsServer,
    ca: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[DnsServer, HttpsServer]]:
    """Discovery's settings pointed at the local servers; every web name resolves to them."""
    dns_server.reset()
    https_server.reset()
    for host in WEB_HOSTS:
        dns_server.add(host, "A", https_server.address)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("IMAPKEY_DNS_SERVER", dns_server.address)
    monkeypatch.setenv("IMAPKEY_ISPDB_URL", "https://ispdb.test/v1.1/")
    monkeypatch.setenv("IMAPKEY_DISCOVERY_CA_FILE", str(ca_file))
    monkeypatch.delenv("IMAPKEY_NO_LOOKUP", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clear_cache()
    yield dns_server, https_server
    clear_cache()


def config_xml(
    host: str,
    port: int = 993,
    socket_type: str = "SSL",
    *,
    auth: str = "password-cleartext",
    smtp: tuple[str, int, str] | None = ("smtp.%EMAILDOMAIN%", 465, "SSL"),
    name: str = "Example Mail",
) -> bytes:
    """A config-v1.1.xml as autoconfig servers and the ISPDB publish it."""
    outgoing = ""
    if smtp:
        outgoing = f"""
    <outgoingServer type="smtp">
      <hostname>{smtp[0]}</hostname><port>{smtp[1]}</port><socketType>{smtp[2]}</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </outgoingServer>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example">
    <domain>example</domain>
    <displayName>{name}</displayName>
    <incomingServer type="pop3">
      <hostname>pop.example</hostname><port>995</port><socketType>SSL</socketType>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>{host}</hostname><port>{port}</port><socketType>{socket_type}</socketType>
      <username>%EMAILADDRESS%</username><authentication>{auth}</authentication>
    </incomingServer>{outgoing}
  </emailProvider>
</clientConfig>
""".encode()
