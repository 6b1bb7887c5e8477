"""Small JSON files shared by concurrent processes: read under a file lock, replaced atomically.

A writer takes the lock, reads, changes, writes a temporary file beside the target, fsyncs it
and renames it over the target. Readers never see a half-written file, a crash at any point
leaves either the old or the new file, and concurrent host and CLI processes never lose each
other's writes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOCK_TIMEOUT = 10.0  # seconds
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) and make it readable by its owner alone: the account
    index, the lockout state and the log say which accounts exist and when they were used."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR:
        os.chmod(path, PRIVATE_DIR)  # tighten a folder an older version made 0755
    return path


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``<path>.lock`` (a cross-process lock) for the duration."""
    from filelock import FileLock

    private_dir(path.parent)
    with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT, mode=PRIVATE_FILE):
        yield


def read_json(path: Path) -> Any:
    """The file's JSON, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Replace ``path`` atomically with ``data`` as JSON (call while holding ``locked``)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
