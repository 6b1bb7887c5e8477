"""The sending check on an emulated 50 ms round trip, against Dovecot's submission service.

Through the same loopback proxy as prober_rtt.py (every chunk held 25 ms each way), median of
N runs: one SMTP sign-in over 465 (implicit TLS) and over 587 (STARTTLS) with the round trips
each makes on the wire, one IMAP check alone, and IMAP and SMTP checked together (target: the
longer of the two plus a little, never the sum). Nothing is ever mailed.

Needs Dovecot with its submission service (apt-get install dovecot-imapd dovecot-submissiond).
Usage: python bench/smtp_rtt.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import trustme
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from imapkey.prober.check import CheckRequest, run, run_pair
from imapkey.prober.models import CheckResult, ServerSettings
from prober_rtt import DelayProxy, last_connection
from support.certs import issue
from support.dovecot import ACCOUNTS, Dovecot
from support.smtpsink import SmtpSink

USER = "alice@example.com"
# Both at once may take the longer of the two plus this much (scheduling, two handshakes).
PAIR_SLACK = 1.15


def request(port: int, security: str, ca_file: str, protocol: str) -> CheckRequest:
    server = ServerSettings(host="localhost", port=port, security=security, ca_file=ca_file)
    return CheckRequest(USER, SecretStr(ACCOUNTS[USER]), server, 15, True, protocol)  # type: ignore[arg-type]


def timed(proxy: DelayProxy, req: CheckRequest) -> tuple[float, int, float]:
    """(accept -> close on the wire, round trips x 2, the whole call)."""
    before = len(proxy.connections)
    started = time.perf_counter()
    result = run(req)
    whole = time.perf_counter() - started
    assert result.ok, result
    conn = last_connection(proxy, before)
    return conn.seconds, conn.turns, whole


def report(rows: dict[str, list[tuple[float, int, float]]], pairs: list[float]) -> bool:
    print(f"### Sending, 50 ms RTT (median of {len(pairs)})\n")
    print("| check | accept -> close ms | round trips on the wire | whole call ms |")
    print("|---|---|---|---|")
    labels = {
        "imap": "IMAP (993), for comparison",
        "465": "SMTP over SSL/TLS (465)",
        "587": "SMTP with STARTTLS (587)",
    }
    whole = {}
    for key, label in labels.items():
        ms = statistics.median(r[0] for r in rows[key]) * 1000
        turns = statistics.median(r[1] for r in rows[key]) / 2
        whole[key] = statistics.median(r[2] for r in rows[key]) * 1000
        print(f"| {label} | {ms:.0f} | {turns:.1f} | {whole[key]:.0f} |")
    pair = statistics.median(pairs) * 1000
    longer = max(whole["imap"], whole["465"])
    print("\n### IMAP and SMTP (465) checked together, whole call\n")
    print("| | ms |\n|---|---|")
    print(f"| the longer of the two alone | {longer:.0f} |")
    print(f"| the sum of the two | {whole['imap'] + whole['465']:.0f} |")
    print(f"| both at once (`check --smtp`) | {pair:.0f} |")
    return pair <= longer * PAIR_SLACK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    executable = shutil.which("dovecot", path="/usr/sbin:/usr/bin:" + os.environ["PATH"])
    if not executable or not Path("/usr/lib/dovecot/submission").exists():
        raise SystemExit("apt-get install dovecot-imapd dovecot-submissiond")
    base = Path(tempfile.mkdtemp(prefix="imapkey-bench-smtp-"))
    os.chmod(base, 0o755)  # noqa: S103 - Dovecot's unprivileged processes read it
    os.environ["XDG_STATE_HOME"] = str(base / "state")
    certs = issue(base / "certs", "server", trustme.CA())
    ca_file = str(certs.ca_file)
    sink = SmtpSink()
    dovecot = Dovecot(base / "dovecot", certs, dict(ACCOUNTS), relay_port=sink.port)
    dovecot.start(executable)
    try:
        imaps = DelayProxy(dovecot.imaps_port)
        smtps = DelayProxy(dovecot.submissions_port)
        submission = DelayProxy(dovecot.submission_port)
        ports = {"imap": imaps.start(), "465": smtps.start(), "587": submission.start()}
        rows: dict[str, list[tuple[float, int, float]]] = {"imap": [], "465": [], "587": []}
        pairs: list[float] = []
        for _ in range(args.runs):
            rows["imap"].append(timed(imaps, request(ports["imap"], "tls", ca_file, "imap")))
            rows["465"].append(timed(smtps, request(ports["465"], "tls", ca_file, "smtp")))
            rows["587"].append(
                timed(submission, request(ports["587"], "starttls", ca_file, "smtp"))
            )
            started = time.perf_counter()
            receiving, sending = run_pair(
                request(ports["imap"], "tls", ca_file, "imap"),
                request(ports["465"], "tls", ca_file, "smtp"),
            )
            pairs.append(time.perf_counter() - started)
            assert receiving.ok
            assert isinstance(sending, CheckResult)
            assert sending.ok
        ok = report(rows, pairs)
    finally:
        dovecot.stop()
        sink.close()
        shutil.rmtree(base, ignore_errors=True)
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
