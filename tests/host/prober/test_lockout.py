"""The lockout count: a window of 15 minutes, shared by processes, atomic on disk."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from imapkey.prober.lockout import MAX_FAILURES, WINDOW, Lockout


def test_pauses_after_three_failures_and_resumes(tmp_path: Path) -> None:
    """Three failures pause the account until the first of them is 15 minutes old."""
    guard = Lockout(tmp_path / "lockout.json")
    now = [1000.0]
    guard._now = lambda: now[0]  # type: ignore[method-assign]
    for i in range(MAX_FAILURES):
        assert guard.retry_after("A@x.com", "imap.x.com") is None
        guard.record("a@x.com", "IMAP.x.com", failed=True)
        now[0] += 60 * (i + 1)
    wait = guard.retry_after("a@x.com", "imap.x.com")
    assert wait is not None
    assert 0 < wait <= WINDOW
    now[0] += wait + 1
    assert guard.retry_after("a@x.com", "imap.x.com") is None


def test_other_server_or_address_not_paused(tmp_path: Path) -> None:
    """The count is per address and server."""
    guard = Lockout(tmp_path / "lockout.json")
    for _ in range(MAX_FAILURES):
        guard.record("a@x.com", "imap.x.com", failed=True)
    assert guard.retry_after("a@x.com", "other.x.com") is None
    assert guard.retry_after("b@x.com", "imap.x.com") is None


def test_success_clears(tmp_path: Path) -> None:
    """A successful login clears the count."""
    guard = Lockout(tmp_path / "lockout.json")
    for _ in range(MAX_FAILURES):
        guard.record("a@x.com", "h", failed=True)
    guard.record("a@x.com", "h", failed=False)
    assert guard.retry_after("a@x.com", "h") is None


def test_corrupt_file_is_treated_as_empty(tmp_path: Path) -> None:
    """A damaged file never blocks checking."""
    path = tmp_path / "lockout.json"
    path.write_text("{not json")
    assert Lockout(path).retry_after("a@x.com", "h") is None
    Lockout(path).record("a@x.com", "h", failed=True)
    assert len(json.loads(path.read_text())["a@x.com|h"]) == 1


def test_concurrent_processes_lose_no_count(tmp_path: Path) -> None:
    """Eight processes each recording failures concurrently: every one is counted."""
    path = tmp_path / "lockout.json"
    code = (
        "import sys; from pathlib import Path; from imapkey.prober.lockout import Lockout\n"
        "g = Lockout(Path(sys.argv[1]))\n"
        "for _ in range(5): g.record(sys.argv[2], 'h', failed=True)\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), f"u{i % 2}@x.com"])
        for i in range(8)
    ]
    assert all(p.wait(30) == 0 for p in procs)
    data = json.loads(path.read_text())
    assert len(data["u0@x.com|h"]) == 20
    assert len(data["u1@x.com|h"]) == 20


def test_only_refusals_of_the_password_count() -> None:
    """Policy refusals, server trouble and a mailbox that would not open never count toward
    the pause; the three refusals of the password do."""
    from imapkey.prober import outcomes as o

    counted = o.LOGIN_FAILURES
    assert counted == {o.AUTH_FAILED, o.APP_PASSWORD_REQUIRED, o.WEB_LOGIN_REQUIRED}
    for outcome in (o.POLICY_REFUSED, o.MAILBOX_UNAVAILABLE, o.SERVER_UNAVAILABLE, o.THROTTLED):
        assert outcome not in o.LOGIN_FAILURES
