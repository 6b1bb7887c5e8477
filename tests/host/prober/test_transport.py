"""Connecting: addresses interleaved by family, and happy eyeballs past a dead address."""

from __future__ import annotations

import asyncio
import socket

from imapkey.prober.transport import happy_connect, resolve


def test_resolve_interleaves_families() -> None:
    """localhost's IPv6 and IPv4 addresses alternate, each once."""
    addresses = asyncio.run(resolve("localhost", 993))
    families = [family for family, _ in addresses]
    assert socket.AF_INET in families
    assert len(addresses) == len(set(addresses))
    if socket.AF_INET6 in families:
        assert families[0] != families[1]


def test_happy_eyeballs_falls_through_to_a_working_address() -> None:
    """A refused first address does not stop the next one from being tried at once."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    with socket.socket() as closed:
        closed.bind(("127.0.0.2", 0))
        dead = closed.getsockname()[1]
    try:
        sock, endpoint = asyncio.run(
            happy_connect(
                [
                    (socket.AF_INET, ("127.0.0.2", dead)),
                    (socket.AF_INET, ("127.0.0.1", port)),
                ]
            )
        )
        sock.close()
        assert endpoint.address == "127.0.0.1"
    finally:
        listener.close()
