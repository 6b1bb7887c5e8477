"""Who imapkey is to a browser: the host's name and the extension ids it serves.

The ids are derived from one place, ``extension/manifest.json``: the Chromium id from its
``key`` (the public key), the Firefox id from ``browser_specific_settings.gecko.id``. The host,
the installer's manifests and the tests all read them from here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HOST_NAME = "org.imapkey.host"

# Development only: extra ids (or chrome-extension:// origins), comma-separated, to serve.
EXTRA_IDS_ENV = "IMAPKEY_EXTRA_EXTENSION_IDS"

_PACKAGED = Path(__file__).with_name("_extension") / "manifest.json"
_SOURCE = Path(__file__).resolve().parents[2] / "extension" / "manifest.json"


@dataclass(frozen=True)
class Identity:
    """The pinned extension ids."""

    chromium_id: str
    gecko_id: str

    @property
    def chromium_origin(self) -> str:
        return f"chrome-extension://{self.chromium_id}/"


def chromium_id_from_key(key_b64: str) -> str:
    """Chromium's id for a manifest ``key``: SHA-256 of the DER key, first 16 bytes, 0-f → a-p."""
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def extension_manifest_path() -> Path:
    """The shipped copy in an installed wheel, else the source tree's (editable installs)."""
    return _PACKAGED if _PACKAGED.is_file() else _SOURCE


@cache
def identity() -> Identity:
    manifest = json.loads(extension_manifest_path().read_text(encoding="utf-8"))
    return Identity(
        chromium_id=chromium_id_from_key(manifest["key"]),
        gecko_id=manifest["browser_specific_settings"]["gecko"]["id"],
    )


def extra_ids() -> frozenset[str]:
    """Ids a developer allowed through the environment, normalised to bare ids."""
    raw = os.environ.get(EXTRA_IDS_ENV, "")
    ids = (item.strip().removeprefix("chrome-extension://").rstrip("/") for item in raw.split(","))
    return frozenset(i for i in ids if i)
