"""Keyring backends that fail on purpose (selected with PYTHON_KEYRING_BACKEND)."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

CANARY = "canary-backend-Q7"


class Raising(KeyringBackend):
    """Every call fails with an error whose text quotes a secret."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"backend exploded holding {CANARY}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"backend exploded holding {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("backend exploded")


class Locked(KeyringBackend):
    """A keyring whose unlock prompt was dismissed."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")
