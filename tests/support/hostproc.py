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
