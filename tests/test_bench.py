"""The benchmarks behind the README's performance table still run (one round each, no target
judged here: figures come from `make bench` on a quiet machine)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.service
@pytest.mark.timeout(600)
@pytest.mark.parametrize("script", ["host_startup.py", "host_memory.py", "popup_open.py"])
def test_bench_runs_and_prints_its_table(script: str) -> None:
    """One run of the script ends well and prints its Markdown table."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "|---|" in done.stdout
