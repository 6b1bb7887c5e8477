"""A network where a custom domain's look-ups fail and every server a password could go to is
a trap that records connections: the set-up of security finding 4 (issue 9).

Discovery is pointed at a local DNS server that answers SERVFAIL for the domain (and knows no
ISPDB), so its suggestion is the guess ``imap.<domain>``. The host's own name look-ups go
through nss_wrapper (LD_PRELOAD, Debian's libnss-wrapper), which maps the guess and
imap.gmail.com to random loopback addresses where a ``Trap`` listens on port 993.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.netfakes import DnsServer, Trap, loopback_address

DOMAIN = "custom-domain.test"
GUESS = f"imap.{DOMAIN}"
GOOGLE = "imap.gmail.com"


def nss_wrapper() -> str:
    """The nss_wrapper library; skip (locally) or fail (CI) when it is missing."""
    found = sorted(
        glob.glob("/usr/lib/*/libnss_wrapper.so") + glob.glob("/usr/lib/libnss_wrapper.so")
    )
    if found:
        return found[0]
    message = "libnss_wrapper.so not found: apt-get install libnss-wrapper (make test installs it)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def _trap(port: int) -> Trap:
    try:
        return Trap(loopback_address(), port)
    except PermissionError:
        message = f"binding port {port} needs root (or CAP_NET_BIND_SERVICE)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)


class GuessNet:
    def __init__(self, folder: Path, dns: DnsServer) -> None:
        self.guess = _trap(993)
        self.google = _trap(993)
        hosts = folder / "hosts"
        hosts.write_text(f"{self.guess.address} {GUESS}\n{self.google.address} {GOOGLE}\n")
        dns.fail.add(DOMAIN)
        self.env = {
            "LD_PRELOAD": nss_wrapper(),
            "NSS_WRAPPER_HOSTS": str(hosts),
            "IMAPKEY_DNS_SERVER": dns.address,
            "IMAPKEY_ISPDB_URL": "https://ispdb.invalid/v1.1/",
        }

    def close(self) -> None:
        self.guess.close()
        self.google.close()


@contextmanager
def guess_net(folder: Path) -> Iterator[GuessNet]:
    dns = DnsServer()
    net = GuessNet(folder, dns)
    try:
        yield net
    finally:
        net.close()
        dns.close()
