"""Start-up cost of the native host: spawn -> ``hello`` reply, against importing pydantic alone.

The browser spawns the host for every popup, so this is on the user's critical path. Target
(issue 2): median spawn -> hello reply <= 1.5 x median ``python -c "from pydantic import
BaseModel"`` in the same venv, runs alternating so both see the same machine state.

Usage: python bench/host_startup.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from imapkey.identity import identity

TARGET = 1.5


def _host_command() -> list[str]:
    script = Path(sys.executable).with_name("imapkey-host")
    return [str(script), identity().chromium_origin]


def time_baseline() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pydantic import BaseModel"], check=True)
    return time.perf_counter() - start


def time_host_hello(env: dict[str, str]) -> float:
    body = json.dumps({"v": 1, "id": "b", "type": "hello"}).encode()
    start = time.perf_counter()
    proc = subprocess.Popen(_host_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert proc.stdin
    assert proc.stdout
    proc.stdin.write(struct.pack("=I", len(body)) + body)
    proc.stdin.flush()
    (length,) = struct.unpack("=I", proc.stdout.read(4))
    reply = json.loads(proc.stdout.read(length))
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    proc.wait()
    if not reply.get("ok"):
        raise SystemExit(f"hello failed: {reply}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_STATE_HOME=tmp)
        time_host_hello(env)  # warm the file cache for both
        time_baseline()
        base, host = [], []
        for _ in range(args.runs):
            base.append(time_baseline())
            host.append(time_host_hello(env))
    b, h = statistics.median(base), statistics.median(host)
    ratio = h / b
    print("| measure | median (ms) |")
    print("|---|---|")
    print(f'| `python -c "from pydantic import BaseModel"` | {b * 1000:.0f} |')
    print(f"| `imapkey-host` spawn -> `hello` reply | {h * 1000:.0f} |")
    print(f"| ratio (target <= {TARGET}) | {ratio:.2f} |")
    print(f"\nruns: {args.runs} alternating; python {sys.version.split()[0]}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
