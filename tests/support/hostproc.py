"""Drive the real ``imapkey-host`` executable over pipes, as a browser does."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

from imapkey.identity import identity

HOST_EXE = Path(sys.executable).with_name("imapkey-host")


def frame(message: Any) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return struct.pack("=I", len(body)) + body


def chromium_args() -> list[str]:
    return [identity().chromium_origin]


def firefox_args(manifest: str = "/tmp/org.imapkey.host.json") -> list[str]:
    return [manifest, identity().gecko_id]


class HostProcess:
    """One spawned host with helpers to send frames and read replies."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(HOST_EXE), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )

    def send(self, message: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(frame(message))
        self.proc.stdin.flush()

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def recv(self) -> dict[str, Any] | None:
        assert self.proc.stdout is not None
        header = self.proc.stdout.read(4)
        if len(header) < 4:
            return None
        (length,) = struct.unpack("=I", header)
        reply: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return reply

    def request(self, message: dict[str, Any]) -> dict[str, Any]:
        self.send(message)
        reply = self.recv()
        assert reply is not None, "host closed the port"
        return reply

    def close(self, timeout: float = 5) -> tuple[int, bytes, bytes]:
        """Close stdin and collect (exit code, remaining stdout, stderr)."""
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err


def host_env(tmp: Path, **extra: str) -> dict[str, str]:
    """An environment whose XDG folders are private to the test."""
    env = dict(os.environ)
    for name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp / name.lower())
    env["HOME"] = str(tmp / "home")
    env.update(extra)
    return env


def serve_once(request: dict[str, Any], env: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    """Serve one request in a real host process (its own ``main``, as the browser starts it):
    its reply, and every module the process had imported by its exit."""
    script = (
        "import sys\n"
        f"sys.argv = ['imapkey-host', {chromium_args()[0]!r}]\n"
        "import os\n"
        "from imapkey import host\n"
        "real_exit = os._exit\n"
        "def report(code):\n"
        "    sys.stderr.write(' '.join(sorted(sys.modules)))\n"
        "    sys.stderr.flush()\n"
        "    real_exit(code)\n"
        "os._exit = report\n"
        "host.main()\n"
    )
    proc = subprocess.run(
        [str(HOST_EXE.with_name("python")), "-c", script],
        input=frame(request),
        capture_output=True,
        env=env,
        check=True,
    )
    (length,) = struct.unpack("=I", proc.stdout[:4])
    return json.loads(proc.stdout[4 : 4 + length]), set(proc.stderr.decode().split())
