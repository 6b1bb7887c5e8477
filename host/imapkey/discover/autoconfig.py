"""Reading Thunderbird's config-v1.1.xml (a domain's own autoconfig, or Mozilla's ISPDB).

The document comes from the network, so it is parsed strictly: bounded in size, no DTD and no
entities at all (which rules out entity expansion and external fetches), and every value is
checked before it is used: host names must be DNS names, ports numbers, and a plaintext server
is never taken (imapkey sends no password without TLS).
Format: https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from imapkey.discover.fetch import MAX_BYTES
from imapkey.prober.providers import Endpoint, Security

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_SOCKET = {"SSL": "tls", "STARTTLS": "starttls"}
_PASSWORD_AUTH = {"password-cleartext", "plain", "password-encrypted", "secure"}


class ConfigError(Exception):
    """Not a usable config-v1.1.xml."""


@dataclass(frozen=True)
class ClientConfig:
    name: str | None
    imap: Endpoint | None
    submission: Endpoint | None
    password_auth: bool  # False when the file lists only OAuth2 and the like for IMAP
    domains: tuple[str, ...]


def _hostname(raw: str | None, domain: str) -> str | None:
    if not raw:
        return None
    name = raw.strip().replace("%EMAILDOMAIN%", domain).lower().rstrip(".")
    return name if _HOSTNAME.match(name) else None


def _endpoint(node: ET.Element, domain: str) -> tuple[Endpoint | None, set[str]]:
    auth = {(a.text or "").strip() for a in node.findall("authentication")}
    host = _hostname(node.findtext("hostname"), domain)
    security = _SOCKET.get((node.findtext("socketType") or "").strip())
    port_text = (node.findtext("port") or "").strip()
    if host is None or security is None or not port_text.isdigit():
        return None, auth
    port = int(port_text)
    if not 0 < port < 65536:
        return None, auth
    sec: Security = "tls" if security == "tls" else "starttls"
    return Endpoint(host, port, sec), auth


def parse(data: bytes, domain: str) -> ClientConfig:
    """The IMAP (and submission) server a config file names for ``domain``."""
    if len(data) > MAX_BYTES:
        raise ConfigError("too large")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise ConfigError("a DTD or entity declaration is not allowed")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD can be present (checked above)
    except ET.ParseError as exc:
        raise ConfigError(f"not well-formed XML ({exc})") from None
    if root.tag != "clientConfig":
        raise ConfigError("not a clientConfig document")
    provider = root.find("emailProvider")
    if provider is None:
        raise ConfigError("no emailProvider")
    imap: Endpoint | None = None
    password_auth = False
    seen_imap = False
    # Servers are listed in the provider's order of preference: take the first usable one.
    for node in provider.findall("incomingServer"):
        if node.get("type") != "imap":
            continue
        seen_imap = True
        endpoint, auth = _endpoint(node, domain)
        if endpoint is not None and imap is None:
            imap = endpoint
            password_auth = not auth or bool(auth & _PASSWORD_AUTH)
    submission: Endpoint | None = None
    for node in provider.findall("outgoingServer"):
        if node.get("type") == "smtp":
            submission, _ = _endpoint(node, domain)
            if submission is not None:
                break
    if imap is None:
        raise ConfigError(
            "it lists only a plaintext IMAP server" if seen_imap else "it lists no IMAP server"
        )
    label = "".join(ch for ch in provider.findtext("displayName") or "" if ch.isprintable())
    name = label.strip()[:80] or None
    domains = tuple(
        d for d in ((e.text or "").strip().lower() for e in provider.findall("domain")) if d
    )
    return ClientConfig(name, imap, submission, password_auth, domains)
