"""Which backend Python keyring chose, remembered so that ``list`` need not ask it again.

keyring chooses its backend by importing every backend it knows and asking each whether it
would work: on Linux about 50 ms, after about 75 ms of importing keyring itself, on the path
of every popup that opens. What decides the choice is all outside the process and cheap to
look at: keyring's environment variables and config file, the installed packages (keyring's
own version and any third-party backend), the platform and the desktop. So whenever keyring
has chosen, the choice is written down with a fingerprint of those, and it is used only while
the fingerprint is unchanged. Only the Secret Service is remembered (the one backend ``list``
can search without keyring), and only the facts a search needs: no secret, no item.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from imapkey.storage import private_dir, write_json

FORMAT = 1
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"
FILE_NAME = "keyring-backend.json"


def memo_path() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("imapkey", appauthor=False) / FILE_NAME


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _keyring_config_files() -> list[str]:
    """Where keyring looks for ``keyringrc.cfg`` on Linux (keyring.util.platform_): the config
    root, and the data root it checks for a config left by old versions."""
    home = os.path.expanduser("~")
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return [os.path.join(root, "python_keyring", "keyringrc.cfg") for root in (config, data)]


def fingerprint() -> dict[str, Any]:
    """Everything keyring's choice depends on. A package installed, removed or upgraded
    changes its folder on ``sys.path``; a config file written changes its stamp."""
    return {
        "format": FORMAT,
        "platform": sys.platform,
        "prefix": sys.prefix,
        # Hashed: a keyring variable may hold a password (KEYRING_CRYPTFILE_PASSWORD, say).
        "env": _digest(
            sorted(
                (k, v)
                for k, v in os.environ.items()
                if k.startswith(("PYTHON_KEYRING", "KEYRING_"))
            )
        ),
        "desktop": os.environ.get("XDG_CURRENT_DESKTOP", ""),
        # sys.path[0] is the running script's own folder: it differs between the CLI, the
        # host and ``python -c``, and holds no installed package.
        "paths": [[p, _stamp(p)] for p in sys.path[1:] if p],
        "config": [[p, _stamp(p)] for p in _keyring_config_files()],
    }


def _digest(value: object) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(value).encode()).hexdigest()


def remember(backend: object) -> None:
    """Write down keyring's choice when it is the Secret Service; forget any other. Never
    fails: a memo that cannot be made only means the next list asks keyring again."""
    if not sys.platform.startswith("linux"):
        return
    # An odd backend (an unknown scheme, say) or an unwritable cache: simply not kept.
    with contextlib.suppress(Exception):
        _remember(backend)


def qualified_name(backend: object) -> str:
    """A keyring backend's class as keyring names it (``PYTHON_KEYRING_BACKEND``)."""
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _remember(backend: object) -> None:
    name = qualified_name(backend)
    record: dict[str, Any] | None = None
    if name == SECRET_SERVICE:
        scheme = backend.schemes[backend.scheme]  # type: ignore[attr-defined]
        record = {
            "fingerprint": fingerprint(),
            "backend": name,
            "appid": backend.appid,  # type: ignore[attr-defined]
            "collection": getattr(backend, "preferred_collection", None),
            "service_attribute": scheme["service"],
            "username_attribute": scheme["username"],
        }
    path = memo_path()
    if _read(path) == record:
        return
    if record is None:
        path.unlink(missing_ok=True)
    else:
        write_json(private_dir(path.parent) / FILE_NAME, record)


def recall() -> dict[str, Any] | None:
    """The remembered Secret Service choice, if keyring would still make it; else None."""
    if not sys.platform.startswith("linux"):
        return None
    record = _read(memo_path())
    if not isinstance(record, dict) or record.get("backend") != SECRET_SERVICE:
        return None
    if record.get("fingerprint") != fingerprint():
        return None
    fields = ("appid", "service_attribute", "username_attribute")
    if not all(isinstance(record.get(k), str) for k in fields):
        return None
    if not isinstance(record.get("collection"), str | None):
        return None
    return record


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
