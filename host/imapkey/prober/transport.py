"""Bytes to and from one server: happy-eyeballs connect, and TLS done over memory BIOs.

TLS runs over ``ssl.MemoryBIO`` rather than ``start_tls`` so the prober sees the first bytes a
server sends during the handshake: a plaintext ``* OK`` greeting, a POP3 ``+OK`` or an SMTP
``220`` tells *why* TLS failed in the same round trip, instead of a bare ``WRONG_VERSION_NUMBER``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

HAPPY_EYEBALLS_DELAY = 0.25  # RFC 8305's recommended connection attempt delay
_TLS_RECORD_TYPES = (0x14, 0x15, 0x16, 0x17)  # change_cipher_spec, alert, handshake, data
# Everything one check reads from a server, TLS handshake included. A login needs a few KiB;
# a server that floods lines must not grow the host's memory without bound.
MAX_READ = 1024 * 1024
T = TypeVar("T")


class Closed(Exception):
    """The server closed the connection."""


class Flooded(Exception):
    """The server sent more than MAX_READ bytes in one check."""


class NotTls(Exception):
    """The server answered a TLS ClientHello with something that is not TLS."""

    def __init__(self, first_bytes: bytes) -> None:
        super().__init__("not TLS")
        self.first_bytes = first_bytes


@dataclass(frozen=True)
class Endpoint:
    address: str
    family: socket.AddressFamily

    @property
    def label(self) -> str:
        return f"{self.address} ({'IPv6' if self.family == socket.AF_INET6 else 'IPv4'})"


def detached(work: Callable[[], T]) -> asyncio.Future[T]:
    """Run blocking ``work`` on a daemon thread of its own and await its result.

    ``asyncio.to_thread`` and ``loop.getaddrinfo`` use the loop's default executor, which
    ``asyncio.run`` joins before returning: a resolver that never answers would then hold a
    check long past its deadline. A detached thread is simply abandoned when the caller stops
    waiting.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting coroutine
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has already finished: nobody waits
            loop.call_soon_threadsafe(deliver, result, error)

    threading.Thread(target=run, name="imapkey-detached", daemon=True).start()
    return future


async def resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, tuple[str, int]]]:
    """All addresses for ``host``, interleaved by family (RFC 8305), first family first."""
    infos = await detached(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
    by_family: dict[socket.AddressFamily, list[tuple[str, int]]] = {}
    for info in infos:
        family: socket.AddressFamily = info[0]
        sockaddr = info[4]
        addr = (str(sockaddr[0]), int(sockaddr[1]))
        if addr not in by_family.setdefault(family, []):
            by_family[family].append(addr)
    queues = list(by_family.items())
    ordered: list[tuple[socket.AddressFamily, tuple[str, int]]] = []
    while any(addrs for _, addrs in queues):
        for family, addrs in queues:
            if addrs:
                ordered.append((family, addrs.pop(0)))
    return ordered


async def _connect_one(family: socket.AddressFamily, addr: tuple[str, int]) -> socket.socket:
    loop = asyncio.get_running_loop()
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await loop.sock_connect(sock, addr)
    except BaseException:
        sock.close()
        raise
    return sock


async def happy_connect(
    addresses: list[tuple[socket.AddressFamily, tuple[str, int]]],
) -> tuple[socket.socket, Endpoint]:
    """Connect to the first address that answers, starting the next one every 250 ms or as
    soon as one fails (RFC 8305). Raises the last OSError if every address fails."""
    pending: dict[asyncio.Task[socket.socket], Endpoint] = {}
    failures: list[OSError] = []
    queue = list(addresses)
    try:
        while queue or pending:
            if queue:
                family, addr = queue.pop(0)
                task = asyncio.create_task(_connect_one(family, addr))
                pending[task] = Endpoint(addr[0], family)
            done, _ = await asyncio.wait(
                pending,
                timeout=HAPPY_EYEBALLS_DELAY if queue else None,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in done:
                endpoint = pending.pop(task)
                exc = task.exception()
                if exc is None:
                    return task.result(), endpoint
                failures.append(exc if isinstance(exc, OSError) else OSError(str(exc)))
    finally:
        for task in pending:
            task.cancel()
            task.add_done_callback(_close_result)
    raise failures[-1] if failures else OSError("no address to connect to")


def _close_result(task: asyncio.Task[socket.socket]) -> None:
    if not task.cancelled() and task.exception() is None:
        task.result().close()


class Stream:
    """A line-oriented byte stream over TCP that can be switched to TLS once."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._buffer = bytearray()
        self._tls: ssl.SSLObject | None = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self.received = 0

    @classmethod
    async def open(cls, sock: socket.socket) -> Stream:
        reader, writer = await asyncio.open_connection(sock=sock)
        return cls(reader, writer)

    @property
    def tls(self) -> ssl.SSLObject | None:
        return self._tls

    async def _raw_read(self) -> bytes:
        data = await self._reader.read(65536)
        if not data:
            raise Closed
        self.received += len(data)
        if self.received > MAX_READ:
            raise Flooded
        return data

    async def _flush_tls(self) -> None:
        pending = self._outgoing.read()
        if pending:
            self._writer.write(pending)
            await self._writer.drain()

    async def start_tls(self, context: ssl.SSLContext, server_hostname: str) -> None:
        """Handshake; raises NotTls with the server's first bytes if it does not speak TLS,
        ssl.SSLError (e.g. SSLCertVerificationError) or Closed."""
        tls = context.wrap_bio(self._incoming, self._outgoing, server_hostname=server_hostname)
        first = True
        leftover = bytes(self._buffer)
        self._buffer.clear()
        if leftover:
            self._incoming.write(leftover)
            first = False
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                await self._flush_tls()
                data = await self._raw_read()
                if first and data[0] not in _TLS_RECORD_TYPES:
                    raise NotTls(data) from None
                first = False
                self._incoming.write(data)
        await self._flush_tls()
        self._tls = tls

    async def write(self, data: bytes) -> None:
        if self._tls is None:
            self._writer.write(data)
            await self._writer.drain()
            return
        self._tls.write(data)
        await self._flush_tls()

    async def _fill(self) -> None:
        if self._tls is None:
            self._buffer.extend(await self._raw_read())
            return
        while True:
            try:
                chunk = self._tls.read(65536)
            except ssl.SSLWantReadError:
                self._incoming.write(await self._raw_read())
                continue
            except ssl.SSLZeroReturnError:
                raise Closed from None
            if not chunk:
                raise Closed
            self._buffer.extend(chunk)
            return

    async def read_line(self) -> bytes:
        """One line without its CRLF; a literal's ``{n}`` is followed by its n bytes."""
        while True:
            end = self._buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 2]
                return line
            await self._fill()

    def close(self) -> None:
        """Close now: used after LOGOUT is sent, which is never awaited."""
        if self._tls is not None:
            with contextlib.suppress(ssl.SSLError):
                self._tls.unwrap()
            pending = self._outgoing.read()
            if pending and not self._writer.is_closing():
                self._writer.write(pending)
        self._writer.close()
