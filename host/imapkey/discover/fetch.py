"""One small HTTPS GET for discovery: verified TLS, a size cap, and a hard deadline.

Names are resolved through discovery's own resolver (``dnsq.addresses``), then the connection is
made to that address with the certificate checked for the name. No redirects are followed, no
cookies kept, nothing but the URL is sent.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from urllib.parse import urlsplit

from imapkey.discover import dnsq
from imapkey.discover.config import Config

MAX_BYTES = 128 * 1024  # a config-v1.1.xml is a few KiB; anything larger is not one


class FetchError(Exception):
    """The document could not be fetched; the message says why, for the suggestion's notes."""


def _context(config: Config) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if config.ca_file:
        ctx.load_verify_locations(cafile=config.ca_file)
    return ctx


def get(config: Config, url: str, deadline: float) -> bytes:
    """The body of a 200 answer to ``url``; raises FetchError for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise FetchError(f"not an https URL: {url}")
    host = parts.hostname
    port = parts.port or 443
    try:
        addresses = dnsq.addresses(config, host, deadline)
    except Exception as exc:
        raise FetchError(f"{host} did not resolve ({type(exc).__name__})") from None
    if not addresses:
        raise FetchError(f"{host} has no address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    ctx = _context(config)
    last = "no address answered"
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"{host}: out of time")
        try:
            return _get_one(ctx, host, address, port, path, left, deadline)
        except FetchError:
            raise
        except (OSError, http.client.HTTPException) as exc:
            last = f"{host}: {type(exc).__name__}"
    raise FetchError(last)


def _get_one(
    ctx: ssl.SSLContext,
    host: str,
    address: str,
    port: int,
    path: str,
    timeout: float,
    deadline: float,
) -> bytes:
    raw = socket.create_connection((address, port), timeout=timeout)
    try:
        sock = ctx.wrap_socket(raw, server_hostname=host)
    except BaseException:
        raw.close()
        raise
    conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=ctx)
    conn.sock = sock  # already connected and verified for ``host``
    try:
        conn.request(
            "GET",
            path,
            headers={"Accept": "application/xml, text/xml", "User-Agent": "imapkey"},
        )
        answer = conn.getresponse()
        if answer.status != 200:
            raise FetchError(f"{host} answered HTTP {answer.status}")
        declared = answer.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_BYTES:
            raise FetchError(f"{host} sent more than {MAX_BYTES} bytes")
        body = b""
        while len(body) <= MAX_BYTES:
            if time.monotonic() > deadline:
                raise FetchError(f"{host}: out of time")
            chunk = answer.read(16384)
            if not chunk:
                return body
            body += chunk
        raise FetchError(f"{host} sent more than {MAX_BYTES} bytes")
    finally:
        conn.close()
