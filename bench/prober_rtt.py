"""The prober on an emulated 50 ms round trip, against imaplib, against a real Dovecot.

Measures, through a loopback proxy that holds every chunk 25 ms in each direction:
1. accept -> close of one successful login, imapkey vs ``imaplib.IMAP4_SSL(...).login();
   logout()`` (target: imapkey <= 0.65 x imaplib), and the round trips (direction changes)
   each one makes on the wire;
2. how long each wrong-port or wrong-security case takes to diagnose (target: under one second
   plus one round trip);
3. 20 checks at once (check_many) against the same 20 one after another.

Needs Dovecot (``apt-get install dovecot-imapd``) and root or the dovenull user, like the
tests. Usage: python bench/prober_rtt.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import imaplib
import os
import shutil
import ssl
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from imapkey.prober.check import CheckRequest, check_many, run
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import issue
from support.dovecot import ACCOUNTS, Dovecot
from support.scripted import ScriptedServer, greeter

ONE_WAY = 0.025  # seconds each way: 50 ms round trip
RATIO_TARGET = 0.65
USER = "alice@example.com"


@dataclass
class Connection:
    accepted: float
    closed: float = 0.0
    turns: int = 0  # changes of direction: client->server then server->client is two

    @property
    def seconds(self) -> float:
        return self.closed - self.accepted


@dataclass
class DelayProxy:
    """Forwards 127.0.0.1:<port> to ``target``, each chunk held ONE_WAY seconds."""

    target: int
    connections: list[Connection] = field(default_factory=list)

    def start(self) -> int:
        ready = threading.Event()
        self.loop = asyncio.new_event_loop()

        async def main() -> None:
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                await server.serve_forever()

        threading.Thread(target=self.loop.run_until_complete, args=(main(),), daemon=True).start()
        ready.wait()
        return self.port

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        conn = Connection(time.perf_counter())
        self.connections.append(conn)
        s_reader, s_writer = await asyncio.open_connection("127.0.0.1", self.target)
        last: list[str] = [""]

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, way: str) -> None:
            queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

            async def deliver() -> None:
                while True:
                    due, data = await queue.get()
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    if not data:
                        dst.close()
                        return
                    dst.write(data)
                    await dst.drain()

            sender = asyncio.ensure_future(deliver())
            while True:
                try:
                    data = await src.read(65536)
                except ConnectionError:
                    data = b""
                if data and last[0] != way:
                    conn.turns += 1
                    last[0] = way
                if not data and way == "up":
                    conn.closed = time.perf_counter()
                queue.put_nowait((time.perf_counter() + ONE_WAY, data))
                if not data:
                    break
            with contextlib.suppress(ConnectionError):
                await sender

        await asyncio.gather(pump(c_reader, s_writer, "up"), pump(s_reader, c_writer, "down"))


def imaplib_login(port: int, ctx: ssl.SSLContext) -> None:
    client = imaplib.IMAP4_SSL("localhost", port, ssl_context=ctx)
    client.login(USER, ACCOUNTS[USER])
    client.logout()


def imapkey_login(port: int, ca_file: str) -> None:
    server = ServerSettings(host="localhost", port=port, security="tls", ca_file=ca_file)
    result = run(CheckRequest(USER, SecretStr(ACCOUNTS[USER]), server, 10, force=True))
    assert result.ok, result.outcome


def last_connection(proxy: DelayProxy, before: int) -> Connection:
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if len(proxy.connections) > before and proxy.connections[-1].closed:
            return proxy.connections[-1]
        time.sleep(0.005)
    raise RuntimeError("the proxy saw no closed connection")


def measure_login(args: argparse.Namespace, dovecot: Dovecot, ca_file: str) -> float:
    proxy = DelayProxy(dovecot.imaps_port)
    port = proxy.start()
    ctx = ssl.create_default_context(cafile=ca_file)
    ours: list[Connection] = []
    theirs: list[Connection] = []
    for _ in range(args.runs):
        n = len(proxy.connections)
        imaplib_login(port, ctx)
        theirs.append(last_connection(proxy, n))
        n = len(proxy.connections)
        imapkey_login(port, ca_file)
        ours.append(last_connection(proxy, n))
    a = statistics.median(c.seconds for c in theirs)
    b = statistics.median(c.seconds for c in ours)
    print("\n### One successful login, 50 ms RTT, accept -> close (median)\n")
    print("| client | ms | round trips on the wire |")
    print("|---|---|---|")
    print(
        f"| `imaplib.IMAP4_SSL(...).login(); logout()` | {a * 1000:.0f} | "
        f"{statistics.median(c.turns for c in theirs) / 2:.1f} |"
    )
    print(
        f"| `imapkey check` | {b * 1000:.0f} | {statistics.median(c.turns for c in ours) / 2:.1f} |"
    )
    print(f"| ratio (target <= {RATIO_TARGET}) | {b / a:.2f} | |")
    return b / a


def measure_mismatch(dovecot: Dovecot, certs_dir: Path, ca: trustme.CA, ca_file: str) -> bool:
    tls_certs = issue(certs_dir, "scripted", ca)
    scripted = {
        "POP3 over TLS (995)": (ScriptedServer(greeter("+OK Gpop ready"), tls_certs), "tls"),
        "plain POP3 (110), SSL/TLS chosen": (ScriptedServer(greeter("+OK POP3 ready")), "tls"),
        "SMTP (587), STARTTLS chosen": (ScriptedServer(greeter("220 smtp ESMTP")), "starttls"),
        "SMTP over TLS (465), STARTTLS chosen": (
            ScriptedServer(greeter("220 smtp ESMTP"), tls_certs),
            "starttls",
        ),
    }
    cases = {
        "SSL/TLS on the STARTTLS port (143)": (dovecot.imap_port, "tls"),
        "STARTTLS on the SSL/TLS port (993)": (dovecot.imaps_port, "starttls"),
        **{name: (server.port, sec) for name, (server, sec) in scripted.items()},
    }
    print("\n### Diagnosing a wrong port or security, 50 ms RTT\n")
    print("| case | outcome | ms | target ms |")
    print("|---|---|---|---|")
    target = (1.0 + 2 * ONE_WAY) * 1000
    ok = True
    for name, (port, security) in cases.items():
        proxy = DelayProxy(port)
        pport = proxy.start()
        server = ServerSettings(host="localhost", port=pport, security=security, ca_file=ca_file)
        started = time.perf_counter()
        result = run(CheckRequest(USER, SecretStr("x"), server, 15, force=True))
        ms = (time.perf_counter() - started) * 1000
        ok &= ms < target
        print(f"| {name} | `{result.outcome}` | {ms:.0f} | < {target:.0f} |")
    for server, _ in scripted.values():
        server.close()
    return ok


def measure_parallel(dovecot: Dovecot, ca_file: str) -> None:
    proxy = DelayProxy(dovecot.imaps_port)
    port = proxy.start()
    server = ServerSettings(host="localhost", port=port, security="tls", ca_file=ca_file)
    requests = [
        CheckRequest(USER, SecretStr(ACCOUNTS[USER]), server, 15, force=True) for _ in range(20)
    ]
    started = time.perf_counter()
    for request in requests:
        assert run(request).ok
    sequential = time.perf_counter() - started
    started = time.perf_counter()
    results = asyncio.run(check_many(requests))
    parallel = time.perf_counter() - started
    assert all(isinstance(r, CheckResult) and r.ok for r in results)
    print("\n### 20 checks, 50 ms RTT\n")
    print("| how | s |")
    print("|---|---|")
    print(f"| one after another | {sequential:.2f} |")
    print(f"| `check_many` (8 at once) | {parallel:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    executable = shutil.which("dovecot", path="/usr/sbin:/usr/bin:" + os.environ["PATH"])
    if not executable:
        raise SystemExit("dovecot not found: apt-get install dovecot-imapd")
    base = Path(tempfile.mkdtemp(prefix="imapkey-bench-"))
    os.chmod(base, 0o755)  # noqa: S103 - Dovecot's unprivileged processes read it
    os.environ["XDG_STATE_HOME"] = str(base / "state")
    ca = trustme.CA()
    certs = issue(base / "certs", "server", ca)
    dovecot = Dovecot(base / "dovecot", certs, dict(ACCOUNTS))
    dovecot.start(executable)
    try:
        ratio = measure_login(args, dovecot, str(certs.ca_file))
        fast = measure_mismatch(dovecot, base / "certs2", ca, str(certs.ca_file))
        measure_parallel(dovecot, str(certs.ca_file))
    finally:
        dovecot.stop()
        shutil.rmtree(base, ignore_errors=True)
    return 1 if args.check and (ratio > RATIO_TARGET or not fast) else 0


if __name__ == "__main__":
    sys.exit(main())
