"""Process settings for anything that holds a password in memory."""

from __future__ import annotations

import contextlib
import sys


def no_core_dumps() -> None:
    """A crash during a check must not write the password to disk in a core file."""
    if sys.platform == "win32":  # pragma: no cover - Windows writes no core files by default
        return
    import resource

    with contextlib.suppress(ValueError, OSError):  # lowering a limit is always allowed
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
