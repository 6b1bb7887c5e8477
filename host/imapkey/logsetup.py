"""Logging to a file in the user's log directory; never to stdout (the wire) or stderr.

The level comes from ``IMAPKEY_LOG_LEVEL`` (default INFO). Nothing secret is ever passed to a
logger: callers log request types, ids, outcomes and timings, never request bodies. The file
is found and opened at the first record, so a host that logs after replying pays nothing
for logging before its first reply.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TextIO

from imapkey.text import visible

LEVEL_ENV = "IMAPKEY_LOG_LEVEL"
MAX_LOG_BYTES = 1024 * 1024


def log_dir() -> Path:
    """``platformdirs``' user log folder (``$XDG_STATE_HOME/imapkey/log`` on Linux)."""
    import platformdirs

    return platformdirs.user_log_path("imapkey", appauthor=False)


def log_path(component: str) -> Path:
    return log_dir() / f"{component}.log"


class Verbatim(str):
    """A log argument written as it is (e.g. our own traceback frames), not escaped."""


class EscapeArgs(logging.Filter):
    """Spell out control characters in every string argument: a request id or a server's
    words with a newline in them must not forge a line of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                visible(a) if isinstance(a, str) and not isinstance(a, Verbatim) else a
                for a in record.args
            )
        return True


def _open_private(path: Path) -> TextIO:
    """Open the log for appending, readable by its owner alone (0600, also when it exists)."""
    from imapkey.storage import PRIVATE_FILE, private_dir

    private_dir(path.parent.parent)
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    return os.fdopen(fd, "a", encoding="utf-8")


class LazyFileHandler(logging.StreamHandler[TextIO]):
    """Appends to ``<log dir>/<component>.log``, opened at the first record; keeps one old file."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self._component = component
        self._opened = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self._opened:
            self._opened = True
            path = log_path(self._component)
            try:
                if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                    path.replace(path.with_name(path.name + ".1"))
                self.setStream(_open_private(path))
            except OSError:
                self.setStream(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the handler
        super().emit(record)


def configure(component: str) -> None:
    """Send imapkey's records to its log file at the configured level."""
    logging.raiseExceptions = False  # a failing log write must never reach stderr
    level_name = os.environ.get(LEVEL_ENV, "INFO").upper()
    level = logging.getLevelNamesMapping().get(level_name, logging.INFO)
    handler = LazyFileHandler(component)
    handler.addFilter(EscapeArgs())
    handler.setFormatter(
        logging.Formatter(
            f"%(asctime)s {component}[%(process)d] %(levelname)s %(name)s: %(message)s"
        )
    )
    root = logging.getLogger("imapkey")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
