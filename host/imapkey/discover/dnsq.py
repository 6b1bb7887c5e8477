"""DNS questions discovery asks: MX, SRV, and addresses for its own HTTPS requests.

One resolver (the system's, or ``IMAPKEY_DNS_SERVER``) answers all of them, and every question
obeys the deadline it is given: a resolver that never answers costs at most that long.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

import dns.resolver

from imapkey.discover.config import Config


@dataclass(frozen=True)
class Srv:
    target: str
    port: int


def resolver(config: Config) -> dns.resolver.Resolver:
    if config.dns_server is None:
        return dns.resolver.Resolver()
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = [config.dns_server[0]]
    res.port = config.dns_server[1]
    return res


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("out of time")
    return left


def mx(res: dns.resolver.Resolver, domain: str, deadline: float) -> list[str]:
    """Mail exchangers by preference; raises on any failure."""
    answer = res.resolve(domain, "MX", lifetime=_left(deadline))
    records = sorted(answer, key=lambda r: r.preference)
    return [r.exchange.to_text(omit_final_dot=True).lower() for r in records]


def srv(res: dns.resolver.Resolver, name: str, deadline: float) -> list[Srv]:
    """RFC 2782 records by priority then weight, without the "not offered here" record."""
    try:
        answer = res.resolve(name, "SRV", lifetime=_left(deadline))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    records = sorted(answer, key=lambda r: (r.priority, -r.weight))
    found = []
    for r in records:
        target = r.target.to_text(omit_final_dot=True).lower()
        if target in ("", ".") or r.port == 0:
            continue  # RFC 6186: "." means the service is not provided
        found.append(Srv(target, int(r.port)))
    return found


def addresses(config: Config, host: str, deadline: float) -> list[str]:
    """IPv4 then IPv6 addresses of ``host``: from the configured resolver, else the system's
    own look-up (which also reads /etc/hosts)."""
    found: list[str] = []
    if config.dns_server is None:
        _left(deadline)
        infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
        for info in sorted(infos, key=lambda i: i[0] != socket.AF_INET):
            address = str(info[4][0])
            if address not in found:
                found.append(address)
        return found
    res = resolver(config)
    for rdtype in ("A", "AAAA"):
        try:
            found += [r.to_text() for r in res.resolve(host, rdtype, lifetime=_left(deadline))]
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
    return found
