"""Scripted servers on loopback: replay exact provider texts, and misbehave on purpose.

Each server runs a handler per connection on a thread and records every byte it received
(after TLS, the decrypted bytes), so tests can assert what a client did or did not send.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from support.certs import CertSet


class Conn:
    """One accepted connection, plaintext or TLS, with line helpers."""

    def __init__(self, sock: socket.socket, record: bytearray) -> None:
        self.sock: socket.socket | ssl.SSLSocket = sock
        self.record = record
        self.buffer = b""

    def send(self, text: str | bytes) -> None:
        data = text.encode() if isinstance(text, str) else text
        self.sock.sendall(data)

    def line(self, text: str) -> None:
        self.send(text + "\r\n")

    def recv_line(self) -> str | None:
        while b"\r\n" not in self.buffer:
            try:
                chunk = self.sock.recv(65536)
            except (OSError, ssl.SSLError):
                return None
            if not chunk:
                return None
            self.record.extend(chunk)
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def recv_exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.record.extend(chunk)
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def start_tls(self, context: ssl.SSLContext) -> None:
        self.sock = context.wrap_socket(self.sock, server_side=True)


Handler = Callable[[Conn], None]


@dataclass
class ScriptedServer:
    """Serves ``handler`` on 127.0.0.1; with ``certs`` every connection starts with TLS."""

    handler: Handler
    certs: CertSet | None = None
    backlog: int = 16
    accept: bool = True
    received: list[bytearray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(self.backlog)
        self.port: int = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        if self.accept:
            thread = threading.Thread(target=self._serve, daemon=True)
            thread.start()

    def tls_context(self) -> ssl.SSLContext:
        assert self.certs is not None
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.certs.cert_file, self.certs.key_file)
        return ctx

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            record = bytearray()
            self.received.append(record)
            thread = threading.Thread(target=self._run, args=(client, record), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _run(self, client: socket.socket, record: bytearray) -> None:
        conn = Conn(client, record)
        try:
            if self.certs is not None:
                conn.start_tls(self.tls_context())
            self.handler(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            conn.sock.close()

    def all_received(self) -> bytes:
        return b"".join(bytes(r) for r in self.received)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        for thread in self._threads:
            thread.join(2)


def imap(
    greeting: str = "* OK Gimap ready for requests from 127.0.0.1 a1b2c3",
    capabilities: str = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 "
    "XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=OAUTHBEARER",
    login: tuple[str, ...] = ("{tag} OK user@gmail.com authenticated (Success)",),
    starttls: SslFactory | None = None,
    after_tls_capabilities: str | None = None,
    close_on_login: bool = False,
    silent_on_login: bool = False,
    authenticate: tuple[str, ...] | None = None,
    examine: tuple[str, ...] = (
        "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)",
        "* 0 EXISTS",
        "{tag} OK [READ-ONLY] EXAMINE completed",
    ),
    drop_after_login: bool = False,
) -> Handler:
    """An IMAP responder: greeting, CAPABILITY, optional STARTTLS, then ``login`` lines for
    LOGIN (and AUTHENTICATE unless ``authenticate`` gives its own), ``examine`` lines once
    logged in (``{tag}`` replaced), LOGOUT. Literals are read as IMAP defines them; commands
    pipelined behind a login are answered in order, or discarded with ``drop_after_login``."""

    def handle(conn: Conn) -> None:
        caps = capabilities
        authenticated = drop = False
        conn.line(greeting)
        while True:
            line = conn.recv_line()
            if line is None:
                return
            tag, _, rest = line.partition(" ")
            command = rest.split(" ", 1)[0].upper()
            if command == "CAPABILITY":
                conn.line(f"* CAPABILITY {caps}")
                conn.line(f"{tag} OK Success")
            elif command == "STARTTLS" and starttls is not None:
                conn.line(f"{tag} OK Begin TLS negotiation now")
                conn.start_tls(starttls())
                if after_tls_capabilities is not None:
                    caps = after_tls_capabilities
            elif command in ("LOGIN", "AUTHENTICATE"):
                _read_literal(conn, line)
                if command == "AUTHENTICATE" and rest.upper().strip() == "AUTHENTICATE PLAIN":
                    conn.line("+ ")
                    conn.recv_line()
                if close_on_login:
                    return
                if "LOGINDISABLED" in caps.split() and command == "LOGIN":
                    conn.line(f"{tag} NO [PRIVACYREQUIRED] LOGIN is disabled")
                    continue
                if silent_on_login:
                    while conn.recv_line() is not None:
                        pass
                    return
                replies = login
                if command == "AUTHENTICATE" and authenticate is not None:
                    replies = authenticate
                for reply in replies:
                    conn.line(reply.format(tag=tag))
                authenticated = replies[-1].format(tag=tag).startswith(f"{tag} OK")
                drop = authenticated and drop_after_login
            elif command == "EXAMINE":
                if drop:
                    drop = False
                    continue
                if not authenticated:
                    conn.line(f"{tag} BAD Command received in Invalid state.")
                    continue
                for reply in examine:
                    conn.line(reply.format(tag=tag))
                if any(reply.startswith("* BYE") for reply in examine):
                    return
            elif command == "LOGOUT":
                conn.line("* BYE LOGOUT Requested")
                conn.line(f"{tag} OK 73 good day (Success)")
                return
            else:
                conn.line(f"{tag} BAD Unknown command")

    return handle


SslFactory = Callable[[], ssl.SSLContext]


def _read_literal(conn: Conn, line: str) -> None:
    """Consume a literal announced at the end of ``line``."""
    if line.endswith("}") and "{" in line:
        spec = line[line.rindex("{") + 1 : -1]
        size = int(spec.rstrip("+"))
        if not spec.endswith("+"):
            conn.line("+ Ready for literal data")
        conn.recv_exact(size)
        conn.recv_line()


def greeter(text: str) -> Handler:
    """Says one line and then waits for the client to go."""

    def handle(conn: Conn) -> None:
        conn.line(text)
        conn.recv_line()

    return handle


def silent(conn: Conn) -> None:
    """Accepts and says nothing."""
    conn.recv_line()


def smtp(
    greeting: tuple[str, ...] = ("220 smtp.gmail.com ESMTP a1b2c3 - gsmtp",),
    extensions: tuple[str, ...] = (
        "SIZE 35882577",
        "8BITMIME",
        "AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH",
        "ENHANCEDSTATUSCODES",
        "PIPELINING",
        "CHUNKING",
        "SMTPUTF8",
    ),
    starttls: SslFactory | None = None,
    plain_extensions: tuple[str, ...] | None = None,
    auth: tuple[str, ...] = ("235 2.7.0 Accepted",),
    plain_reply: tuple[str, ...] | None = None,
    ehlo_reply: tuple[str, ...] | None = None,
) -> Handler:
    """An SMTP submission responder: ``greeting`` lines, EHLO with ``extensions`` (before TLS:
    ``plain_extensions``, STARTTLS added when ``starttls`` is given), AUTH PLAIN and AUTH LOGIN
    answered with ``auth`` (``plain_reply`` for PLAIN only), QUIT. Any other command gets 502,
    so a test can tell a client sent one (MAIL FROM must never come)."""

    def ehlo(conn: Conn, exts: tuple[str, ...]) -> None:
        lines = ("smtp.example.test at your service, [127.0.0.1]", *exts)
        for i, text in enumerate(lines):
            conn.line(f"250{'-' if i < len(lines) - 1 else ' '}{text}")

    def handle(conn: Conn) -> None:
        tls = False
        for line in greeting:
            conn.line(line)
        while True:
            line = conn.recv_line()
            if line is None:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                if ehlo_reply is not None:
                    for reply in ehlo_reply:
                        conn.line(reply)
                    continue
                if tls or starttls is None:
                    ehlo(conn, extensions)
                else:
                    before = plain_extensions if plain_extensions is not None else extensions
                    ehlo(conn, (*before, "STARTTLS"))
            elif verb == "STARTTLS" and starttls is not None and not tls:
                conn.line("220 2.0.0 Ready to start TLS")
                conn.start_tls(starttls())
                tls = True
            elif verb == "AUTH":
                words = line.split()
                mechanism = words[1].upper() if len(words) > 1 else ""
                if mechanism == "LOGIN":
                    conn.line("334 VXNlcm5hbWU6")
                    conn.recv_line()
                    conn.line("334 UGFzc3dvcmQ6")
                    conn.recv_line()
                    replies = auth
                else:
                    replies = plain_reply if plain_reply is not None else auth
                for reply in replies:
                    conn.line(reply)
                if replies and replies[-1].startswith("421"):
                    return
            elif verb == "QUIT":
                conn.line("221 2.0.0 closing connection")
                return
            else:
                conn.line("502 5.5.1 Unrecognized command.")

    return handle
