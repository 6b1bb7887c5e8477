"""Real network servers on loopback for discovery tests: a UDP DNS server answering from a
zone, and an HTTPS server serving documents per host name (trustme certificates).

Discovery is pointed at them only through its documented settings (IMAPKEY_DNS_SERVER,
IMAPKEY_ISPDB_URL, IMAPKEY_DISCOVERY_CA_FILE): its DNS and HTTP clients are the real ones.
"""

from __future__ import annotations

import http.server
import random
import socket
import ssl
import threading
import time
from pathlib import Path

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import trustme


def loopback_address() -> str:
    """A random 127/8 address, so a privileged port (443, 993) there collides with nobody."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


class DnsServer:
    """Answers from ``records`` {(name, type): [rdata text]}; names in ``fail`` get SERVFAIL,
    names in ``silent`` no answer at all; anything else NXDOMAIN. Counts questions asked."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.fail: set[str] = set()
        self.silent: set[str] = set()
        self.asked: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def add(self, name: str, rdtype: str, *rdata: str) -> None:
        self.records.setdefault((name.rstrip(".").lower(), rdtype), []).extend(rdata)

    def reset(self) -> None:
        self.records.clear()
        self.fail.clear()
        self.silent.clear()
        self.asked.clear()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(data)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            rdtype = dns.rdatatype.to_text(question.rdtype)
            self.asked.append((name, rdtype))
            if name in self.silent or any(name.endswith("." + s) for s in self.silent):
                continue
            reply = dns.message.make_response(query)
            if name in self.fail or any(name.endswith("." + f) for f in self.fail):
                reply.set_rcode(dns.rcode.SERVFAIL)
            elif (name, rdtype) in self.records:
                reply.answer.append(
                    dns.rrset.from_text_list(
                        name + ".", 60, "IN", rdtype, self.records[(name, rdtype)]
                    )
                )
            elif any(n == name for n, _ in self.records):
                pass  # the name exists, without this type: NOERROR, no answer
            else:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(reply.to_wire(), peer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


class HttpsServer:
    """Serves ``documents`` {(host, path): (status, body)} over TLS on ``address``:``port``,
    with one certificate for every name in ``hosts``. Records every request (host, path)."""

    def __init__(
        self, folder: Path, ca: trustme.CA, hosts: tuple[str, ...], address: str, port: int = 443
    ) -> None:
        self.documents: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.delay: dict[str, float] = {}
        self.requests: list[tuple[str, str]] = []
        folder.mkdir(parents=True, exist_ok=True)
        cert = ca.issue_cert(*hosts)
        cert_file, key_file = folder / "https.crt", folder / "https.key"
        cert.private_key_pem.write_to_path(str(key_file))
        cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                server.requests.append((host, self.path))
                if host in server.delay:
                    time.sleep(server.delay[host])
                status, body = server.documents.get((host, self.path), (404, b"not here"))
                self.send_response(status)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((address, port), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_file, key_file)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.address = address
        self.port: int = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        self.documents.clear()
        self.delay.clear()
        self.requests.clear()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Trap:
    """A TCP listener that records each connection (and the first bytes sent) and closes it:
    proof of whether anything was contacted at all."""

    def __init__(self, address: str, port: int) -> None:
        self.connections: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.address = address
        self.port = port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            conn.settimeout(1.0)
            try:
                first = conn.recv(4096)
            except OSError:
                first = b""
            self.connections.append(first)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
