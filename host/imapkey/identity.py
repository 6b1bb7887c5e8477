"""Who imapkey is to a browser: the host's name and the extension ids it serves.

The ids come from one list, ``manifests/extension-ids.json`` (shipped in the wheel): the pinned
development id (derived from ``extension/manifest.json``'s ``key``, checked by a test) and one
place per store. A user adds ids of a self-built or side-loaded build with
``imapkey install --extension-id``, which remembers them in the user's config file; the host,
the installer's manifests and doctor all read the same union from here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HOST_NAME = "org.imapkey.host"

# Development only: extra ids (or chrome-extension:// origins), comma-separated, to serve.
EXTRA_IDS_ENV = "IMAPKEY_EXTRA_EXTENSION_IDS"

IDS_FILE_NAME = "extension-ids.json"
_PACKAGED = Path(__file__).with_name("_manifests") / IDS_FILE_NAME
_SOURCE = Path(__file__).resolve().parents[2] / "manifests" / IDS_FILE_NAME
_SOURCE_EXTENSION_MANIFEST = Path(__file__).resolve().parents[2] / "extension" / "manifest.json"

CHROMIUM_ID = re.compile(r"[a-p]{32}")
# Firefox ids are an email-like string or a {GUID}.
GECKO_ID = re.compile(r"[A-Za-z0-9._+-]{1,80}@[A-Za-z0-9._-]{1,80}|\{[0-9a-fA-F-]{36}\}")


@dataclass(frozen=True)
class Identity:
    """The extension ids served: ``chromium_id``/``gecko_id`` are the pinned development ones,
    ``chromium_ids``/``gecko_ids`` every id (stores' and the user's too), pinned first."""

    chromium_id: str
    gecko_id: str
    chromium_ids: tuple[str, ...]
    gecko_ids: tuple[str, ...]

    @property
    def chromium_origin(self) -> str:
        return f"chrome-extension://{self.chromium_id}/"

    @property
    def chromium_origins(self) -> list[str]:
        return [f"chrome-extension://{i}/" for i in self.chromium_ids]


def chromium_id_from_key(key_b64: str) -> str:
    """Chromium's id for a manifest ``key``: SHA-256 of the DER key, first 16 bytes, 0-f → a-p."""
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def ids_file_path() -> Path:
    """The list shipped in an installed wheel, else the source tree's (editable installs)."""
    return _PACKAGED if _PACKAGED.is_file() else _SOURCE


def extension_manifest_path() -> Path:
    """The source tree's extension manifest (only a checkout has it)."""
    return _SOURCE_EXTENSION_MANIFEST


def normalise_id(raw: str) -> str:
    """A bare id from an id or a ``chrome-extension://<id>/`` origin."""
    return raw.strip().removeprefix("chrome-extension://").rstrip("/")


def id_family(ext_id: str) -> str | None:
    """ "chromium", "firefox", or None when the text is no extension id."""
    if CHROMIUM_ID.fullmatch(ext_id):
        return "chromium"
    if GECKO_ID.fullmatch(ext_id):
        return "firefox"
    return None


@cache
def shipped_ids() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Chromium ids, Firefox ids) from the list, development id first, empty places skipped."""
    data = json.loads(ids_file_path().read_text(encoding="utf-8"))
    chromium = tuple(i for i in data["chromium"].values() if i)
    gecko = tuple(i for i in data["firefox"].values() if i)
    return chromium, gecko


def identity(user_ids: list[str] | None = None) -> Identity:
    """The shipped ids plus ``user_ids`` (by default those in the user's config)."""
    chromium, gecko = shipped_ids()
    extra = list(dict.fromkeys(config_ids() if user_ids is None else user_ids))
    more_chromium = [i for i in extra if id_family(i) == "chromium" and i not in chromium]
    more_gecko = [i for i in extra if id_family(i) == "firefox" and i not in gecko]
    return Identity(chromium[0], gecko[0], (*chromium, *more_chromium), (*gecko, *more_gecko))


def config_path() -> Path:
    """The user's config file (``$XDG_CONFIG_HOME/imapkey/config.json`` on Linux)."""
    import platformdirs

    return platformdirs.user_config_path("imapkey", appauthor=False) / "config.json"


def config_ids() -> list[str]:
    """Extension ids the user added with ``imapkey install --extension-id``."""
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    ids = data.get("extension_ids") if isinstance(data, dict) else None
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, str) and id_family(i)]


def remember_ids(new_ids: list[str]) -> list[str]:
    """Add ids to the user's config (keeping its other settings); the full list after."""
    from imapkey import storage

    path = config_path()
    with storage.locked(path):
        data = storage.read_json(path)
        if not isinstance(data, dict):
            data = {}
        ids = config_ids()
        ids += [i for i in new_ids if i not in ids]
        data["extension_ids"] = ids
        storage.write_json(path, data)
    return ids


def extra_ids() -> frozenset[str]:
    """Ids a developer allowed through the environment, normalised to bare ids."""
    raw = os.environ.get(EXTRA_IDS_ENV, "")
    return frozenset(i for i in (normalise_id(item) for item in raw.split(",")) if i)
