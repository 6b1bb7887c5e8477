"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.hostproc import HostProcess, chromium_args, host_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment with private XDG folders and HOME."""
    return host_env(tmp_path)


@pytest.fixture
def host(env: dict[str, str]) -> Iterator[HostProcess]:
    """A real imapkey-host spawned the way Chromium spawns it."""
    proc = HostProcess(chromium_args(), env)
    yield proc
    if proc.proc.poll() is None:
        proc.proc.kill()
        proc.proc.wait()
