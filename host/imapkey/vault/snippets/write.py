"""Writing a snippet to the client's own file: created only by us, readable only by the user.

Without ``force`` the file is created exclusively (an existing file, or a symlink planted in
its place, is left alone and reported). With ``force`` the text goes to a new temporary file
in the same folder first and then replaces the old one in one step, so a crash never leaves
half a configuration and a symlink at the path is replaced rather than followed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from imapkey.errors import INVALID_REQUEST, STORAGE_ERROR, ImapkeyError

MODE = 0o600  # aerc refuses a readable accounts.conf; the others hold a command, not a secret
DIR_MODE = 0o700


def expand(path: str, env: dict[str, str] | None = None) -> Path:
    """``~/.config/...`` honours XDG_CONFIG_HOME; any other ``~`` is the home folder."""
    env = dict(os.environ) if env is None else env
    home = Path(env.get("HOME") or Path.home())
    if path.startswith("~/.config/") and env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / path.removeprefix("~/.config/")
    if path.startswith("~/"):
        return home / path.removeprefix("~/")
    return Path(path)


def _open_new(path: Path) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, MODE)


def _fill(fd: int, text: str) -> None:
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), MODE)  # whatever the umask said
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def write(text: str, path: Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` with mode 0600; refuse to replace a file unless ``force``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        if not force:
            _fill(_open_new(path), text)
            return path
        tmp = path.with_name(f".{path.name}.imapkey-{secrets.token_hex(4)}")
        try:
            _fill(_open_new(tmp), text)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return path
    except FileExistsError:
        raise ImapkeyError(
            f"{path} already exists; it was left as it is.",
            "Add --force to replace it, or leave out --write and merge the printed text "
            "into it yourself.",
            code=INVALID_REQUEST,  # a refusal to go on (exit 2), not a failed write
        ) from None
    except OSError as exc:
        raise ImapkeyError(
            f"{path} could not be written ({exc.strerror or type(exc).__name__}).",
            "Check that the folder is writable, or leave out --write and save the text yourself.",
            code=STORAGE_ERROR,
        ) from None
