"""``make demo`` still runs: the README promises it on a fresh machine, and no other test
drives it (a change to the popup once broke it unnoticed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent / "demo.py"


@pytest.mark.service
@pytest.mark.timeout(300)
def test_demo_checks_and_saves_end_to_end() -> None:
    """The demo ends well, with both checks signed in and the secret in the keyring."""
    done = subprocess.run(
        [sys.executable, str(DEMO)], capture_output=True, text=True, timeout=280, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "this password works for IMAP" in done.stdout
    assert "this password works for sending mail (SMTP)" in done.stdout
    assert "The keyring holds it: True" in done.stdout
