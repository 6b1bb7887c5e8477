"""Our own lockout guard: after 3 failed logins for one account in 15 minutes, stop trying.

Providers lock accounts after repeated failures; a user re-clicking "Check" must not trigger
that. Only refusals of the password count (``outcomes.LOGIN_FAILURES``): a sign-in refused by
policy (``policy_refused``), the server's own trouble, or a mailbox that would not open after
an accepted login say nothing about the password and never pause checks.

The count lives in one small JSON file in the user's state folder, shared by every host and
CLI process (see imapkey.storage).
"""

from __future__ import annotations

import time
from pathlib import Path

from imapkey.storage import locked, read_json, write_json

MAX_FAILURES = 3
WINDOW = 15 * 60.0  # seconds


def state_file() -> Path:
    import platformdirs

    return platformdirs.user_state_path("imapkey", appauthor=False) / "lockout.json"


def _key(email: str, host: str) -> str:
    return f"{email.strip().lower()}|{host.strip().lower()}"


class Lockout:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_file()
        self._now = time.time

    def _read(self) -> dict[str, list[float]]:
        data = read_json(self.path)
        if not isinstance(data, dict):
            return {}
        return {k: [float(t) for t in v] for k, v in data.items() if isinstance(v, list)}

    def _recent(self, stamps: list[float]) -> list[float]:
        cutoff = self._now() - WINDOW
        return [t for t in stamps if t > cutoff]

    def retry_after(self, email: str, host: str) -> float | None:
        """Seconds until checks may resume, or None when the account is not paused."""
        stamps = self._recent(self._read().get(_key(email, host), []))
        if len(stamps) < MAX_FAILURES:
            return None
        return max(0.0, stamps[-MAX_FAILURES] + WINDOW - self._now())

    def record(self, email: str, host: str, failed: bool) -> None:
        """Count a failed login, or clear the count after a successful one."""
        key = _key(email, host)
        with locked(self.path):
            data = {k: self._recent(v) for k, v in self._read().items()}
            data = {k: v for k, v in data.items() if v}
            if failed:
                data[key] = [*data.get(key, []), self._now()]
            else:
                data.pop(key, None)
            write_json(self.path, data)
