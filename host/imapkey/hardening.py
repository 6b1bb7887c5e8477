"""Process settings for anything that holds a password in memory."""

from __future__ import annotations

import sys


def no_core_dumps() -> None:
    """A crash during a check must not write the password to disk in a core file."""
    if sys.platform == "win32":  # pragma: no cover - Windows writes no core files by default
        return
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):  # pragma: no cover - lowering a limit is always allowed
        pass
