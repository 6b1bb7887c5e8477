"""The caller is read from argv as each browser passes it, and only our ids are served."""

from __future__ import annotations

import base64
import json
import re

import pytest

from imapkey.identity import (
    EXTRA_IDS_ENV,
    chromium_id_from_key,
    extension_manifest_path,
    identity,
)
from imapkey.origin import Caller, caller_from_argv, is_allowed


def test_ids_come_from_the_extension_manifest() -> None:
    """The Chromium id is derived from the manifest's key and the gecko id read from it."""
    manifest = json.loads(extension_manifest_path().read_text())
    assert re.fullmatch(r"[a-p]{32}", identity().chromium_id)
    assert identity().chromium_id == chromium_id_from_key(manifest["key"])
    assert identity().gecko_id == "imapkey@imapkey.org"


def test_chromium_id_algorithm_on_a_known_key() -> None:
    """SHA-256 of the DER key, first 16 bytes, hex digits mapped 0-f to a-p."""
    key = base64.b64encode(b"\x00").decode()
    # sha256(b"\x00") = 6e340b9cffb37a989ca544e6bb780a2c...
    assert chromium_id_from_key(key) == "godealjmppldhkjijmkfeeogllhiakcm"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["chrome-extension://abc/"], Caller("chromium", "abc")),
        (["chrome-extension://abc/", "--parent-window=1234"], Caller("chromium", "abc")),
        (["/home/u/.mozilla/native-messaging-hosts/x.json", "a@b"], Caller("firefox", "a@b")),
        ([], Caller("unknown", None)),
        (["whatever"], Caller("unknown", None)),
        (["chrome-extension:///"], Caller("chromium", None)),
    ],
)
def test_caller_from_argv(args: list[str], expected: Caller) -> None:
    """Chromium's origin, Firefox's manifest+id and unknown extra flags are all understood."""
    assert caller_from_argv(args) == expected


def test_only_pinned_ids_are_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our ids pass in their own browser's form; anything else needs the development variable."""
    monkeypatch.delenv(EXTRA_IDS_ENV, raising=False)
    ids = identity()
    assert is_allowed(Caller("chromium", ids.chromium_id))
    assert is_allowed(Caller("firefox", ids.gecko_id))
    assert not is_allowed(Caller("chromium", ids.gecko_id))
    assert not is_allowed(Caller("chromium", "a" * 32))
    assert not is_allowed(Caller("unknown", None))
    monkeypatch.setenv(EXTRA_IDS_ENV, "chrome-extension://" + "a" * 32 + "/, dev@x")
    assert is_allowed(Caller("chromium", "a" * 32))
    assert is_allowed(Caller("firefox", "dev@x"))
