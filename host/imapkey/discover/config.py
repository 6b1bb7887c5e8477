"""Where discovery asks: the resolver, Mozilla's ISPDB, extra CAs, and whether to ask Mozilla.

Read from the environment so tests (and users behind a split-horizon DNS) can point discovery at
their own servers without patching any client:

- ``IMAPKEY_DNS_SERVER``: ``ADDRESS`` or ``ADDRESS:PORT`` (``[v6]:PORT``) of the resolver to use
  instead of the system's.
- ``IMAPKEY_ISPDB_URL``: base URL of the ISPDB (default Thunderbird's), the domain is appended.
- ``IMAPKEY_DISCOVERY_CA_FILE``: a CA bundle trusted for discovery's HTTPS, besides the system's.
- ``IMAPKEY_NO_LOOKUP``: ``1`` keeps every domain from being sent to Mozilla (the setting behind
  ``--no-lookup``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

ISPDB_URL = "https://autoconfig.thunderbird.net/v1.1/"
DNS_ENV = "IMAPKEY_DNS_SERVER"
ISPDB_ENV = "IMAPKEY_ISPDB_URL"
CA_ENV = "IMAPKEY_DISCOVERY_CA_FILE"
NO_LOOKUP_ENV = "IMAPKEY_NO_LOOKUP"

BUDGET = 2.0  # seconds for all of discovery together


@dataclass(frozen=True)
class Config:
    dns_server: tuple[str, int] | None
    ispdb_url: str
    ca_file: str | None
    lookup: bool

    @property
    def key(self) -> tuple[object, ...]:
        return (self.dns_server, self.ispdb_url, self.ca_file, self.lookup)


def _dns_server(raw: str) -> tuple[str, int] | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw.startswith("["):
        address, _, port = raw[1:].partition("]:")
        return address.rstrip("]"), int(port or 53)
    if raw.count(":") == 1:
        address, port = raw.split(":")
        return address, int(port)
    return raw, 53


def load(lookup: bool = True) -> Config:
    """The configuration from the environment; ``lookup=False`` wins over it."""
    env = os.environ
    off = env.get(NO_LOOKUP_ENV, "").strip().lower() in {"1", "true", "yes"}
    base = env.get(ISPDB_ENV, "").strip() or ISPDB_URL
    return Config(
        dns_server=_dns_server(env.get(DNS_ENV, "")),
        ispdb_url=base if base.endswith("/") else base + "/",
        ca_file=env.get(CA_ENV) or None,
        lookup=lookup and not off,
    )
