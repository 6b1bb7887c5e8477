"""Concurrent processes never lose each other's saves, and a killed one leaves a readable index."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.secret_service import SecretService

CLI = Path(sys.executable).with_name("imapkey")


def test_twenty_processes_saving_at_once_lose_nothing(
    keyring_env: dict[str, str], secret_service: SecretService
) -> None:
    """20 CLI processes saving 20 accounts at once: all 20 are in the index and the keyring."""
    procs = [
        subprocess.Popen(
            [
                str(CLI),
                "save",
                f"user{i}@example.com",
                "--host",
                "imap.example.invalid",
                "--no-verify",
                "--password-stdin",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=keyring_env,
        )
        for i in range(20)
    ]
    for i, proc in enumerate(procs):
        _, err = proc.communicate(f"secret-{i}\n".encode(), timeout=60)
        assert proc.returncode == 0, err
    listing = subprocess.run(
        [str(CLI), "list", "--json"], capture_output=True, text=True, env=keyring_env, check=True
    )
    accounts = json.loads(listing.stdout)["accounts"]
    assert sorted(a["email"] for a in accounts) == sorted(f"user{i}@example.com" for i in range(20))
    assert all(a["secret_present"] for a in accounts)
    for i in (0, 7, 19):
        assert (
            secret_service.lookup("imapkey/imap.example.invalid", f"user{i}@example.com")
            == f"secret-{i}"
        )


def test_sigkill_mid_save_leaves_a_readable_index(tmp_path: Path) -> None:
    """A writer killed with SIGKILL at random points always leaves valid JSON behind."""
    index = tmp_path / "accounts.json"
    writer = (
        "import sys\n"
        "from pathlib import Path\n"
        "from imapkey.vault.index import Account, Index, now\n"
        "idx = Index(Path(sys.argv[1]))\n"
        "i = 0\n"
        "while True:\n"
        "    i += 1\n"
        "    idx.upsert(Account(email=f'u{i}@x.com', host='h', port=993, security='tls',\n"
        "                       saved_at=now()))\n"
    )
    for delay in (0.3, 0.45, 0.6, 0.75, 0.9):
        proc = subprocess.Popen([sys.executable, "-c", writer, str(index)])
        deadline = time.monotonic() + 20
        while not index.exists() and time.monotonic() < deadline:  # start-up varies with load
            time.sleep(0.01)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = json.loads(index.read_text())
        assert data["version"] == 1
        assert len(data["accounts"]) >= 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 5  # at most one orphaned temporary file per kill, never the index
