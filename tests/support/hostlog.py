"""Reading the host's log (``$XDG_STATE_HOME/imapkey/log/host.log``) from end-to-end tests: a
browser spawns the host, so its log is where what it was asked shows."""

from __future__ import annotations

import re
import time
from pathlib import Path


def host_log(env: dict[str, str]) -> str:
    path = Path(env["XDG_STATE_HOME"]) / "imapkey" / "log" / "host.log"
    return path.read_text() if path.exists() else ""


def wait_for_line(env: dict[str, str], pattern: str, seconds: float = 15) -> re.Match[str]:
    """The first line matching ``pattern`` (a multiline regex), waited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, host_log(env), re.M)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no {pattern!r} in the host's log: {host_log(env)!r}")


# A request the host answered, with the process that answered it: group 1 is the pid.
def answered(request_type: str) -> str:
    return rf"host\[(\d+)\] INFO .*: {request_type} r\d+ from .* ok"
