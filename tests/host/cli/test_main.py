"""The imapkey command line's entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from imapkey import __version__

CLI = Path(sys.executable).with_name("imapkey")


def test_version() -> None:
    """imapkey --version prints the package version."""
    out = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == f"imapkey {__version__}\n"


def test_no_command_shows_usage_and_fails() -> None:
    """Without a command the CLI prints its usage to stderr and exits 2."""
    out = subprocess.run([str(CLI)], capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert "usage: imapkey" in out.stderr
    assert out.stdout == ""
