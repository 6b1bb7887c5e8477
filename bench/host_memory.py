"""Peak memory of the native host: the high-water RSS after a real check, and after ``list``.

The host stays up between popups for an idle minute, beside the browser; what it holds is
paid for by the user. Target (issue 13): peak RSS during a check <= 45 MB. Measured on the
real ``imapkey-host`` (spawned as a browser spawns it) checking a real password against a real
Dovecot over TLS, read from ``VmHWM`` in ``/proc/<pid>/status`` after the reply, before the
port is closed. Linux only. Needs Dovecot, like the tests.

Usage: python bench/host_memory.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import trustme

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from imapkey.identity import identity
from support.certs import issue
from support.dovecot import ACCOUNTS, Dovecot

TARGET_MB = 45.0
USER = "alice@example.com"


def peak_after(request: dict[str, object], env: dict[str, str]) -> tuple[float, dict[str, object]]:
    """Spawn the host, serve ``request``, and read its peak RSS (MB) before closing the port."""
    body = json.dumps({"v": 1, "id": "m", **request}).encode()
    command = [str(Path(sys.executable).with_name("imapkey-host")), identity().chromium_origin]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert proc.stdin
    assert proc.stdout
    proc.stdin.write(struct.pack("=I", len(body)) + body)
    proc.stdin.flush()
    (length,) = struct.unpack("=I", proc.stdout.read(4))
    reply = json.loads(proc.stdout.read(length))
    status = Path(f"/proc/{proc.pid}/status").read_text()
    proc.stdin.close()
    proc.wait()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return kb / 1024, reply


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()
    executable = shutil.which("dovecot", path="/usr/sbin:/usr/bin:" + os.environ["PATH"])
    if not executable:
        raise SystemExit("dovecot not found: apt-get install dovecot-imapd")
    base = Path(tempfile.mkdtemp(prefix="imapkey-bench-mem-"))
    os.chmod(base, 0o755)  # noqa: S103 - Dovecot's unprivileged processes read it
    certs = issue(base / "certs", "server", trustme.CA())
    dovecot = Dovecot(base / "dovecot", certs, dict(ACCOUNTS))
    dovecot.start(executable)
    env = {
        **os.environ,
        **{k: str(base / k.lower()) for k in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")},
        "XDG_CONFIG_HOME": str(base / "config"),
        "IMAPKEY_CA_FILE": str(certs.ca_file),
    }
    server = {"host": "localhost", "port": dovecot.imaps_port, "security": "tls"}
    cases = {
        "`hello`": {"type": "hello"},
        '`list {"secrets": false}`': {"type": "list", "secrets": False},
        "`check` (TLS, real login)": {
            "type": "check",
            "email": USER,
            "password": ACCOUNTS[USER],
            "server": server,
        },
    }
    peaks: dict[str, list[float]] = {name: [] for name in cases}
    try:
        for _ in range(args.runs):
            for name, request in cases.items():
                mb, reply = peak_after(request, env)
                if not reply.get("ok") or reply["result"].get("ok") is False:
                    raise SystemExit(f"{name} failed: {reply}")
                peaks[name].append(mb)
    finally:
        dovecot.stop()
        shutil.rmtree(base, ignore_errors=True)
    print("| host serving | peak RSS (MB, median) |")
    print("|---|---|")
    for name, values in peaks.items():
        print(f"| {name} | {statistics.median(values):.1f} |")
    check = statistics.median(peaks["`check` (TLS, real login)"])
    print(f"\ntarget: a check <= {TARGET_MB:.0f} MB; runs: {args.runs}")
    return 1 if args.check and check > TARGET_MB else 0


if __name__ == "__main__":
    sys.exit(main())
