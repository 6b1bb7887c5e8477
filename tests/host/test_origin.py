"""The caller is read from argv as each browser passes it, and only our ids are served."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from imapkey.identity import (
    EXTRA_IDS_ENV,
    chromium_id_from_key,
    extension_manifest_path,
    identity,
    ids_file_path,
    remember_ids,
)
from imapkey.origin import Caller, caller_from_argv, is_allowed


def test_the_id_list_matches_the_extension_manifest() -> None:
    """The list's development id is the one the manifest's key pins, and its Firefox id the
    manifest's gecko id: the one list cannot drift from the extension."""
    manifest = json.loads(extension_manifest_path().read_text())
    listed = json.loads(ids_file_path().read_text())
    assert listed["chromium"]["development"] == chromium_id_from_key(manifest["key"])
    assert re.fullmatch(r"[a-p]{32}", identity().chromium_id)
    assert identity().chromium_id == listed["chromium"]["development"]
    gecko = manifest["browser_specific_settings"]["gecko"]["id"]
    assert listed["firefox"]["addons.mozilla.org"] == gecko == identity().gecko_id
    assert set(listed["chromium"]) == {"development", "chrome-web-store", "edge-add-ons"}


def test_store_ids_in_the_list_are_served(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An id filled into a store's place is served and allowed without any other change."""
    import imapkey.identity as identity_module

    listed = json.loads(ids_file_path().read_text())
    listed["chromium"]["chrome-web-store"] = "e" * 32
    ids_file = tmp_path / "extension-ids.json"
    ids_file.write_text(json.dumps(listed))
    monkeypatch.setattr(identity_module, "ids_file_path", lambda: ids_file)
    identity_module.shipped_ids.cache_clear()
    try:
        assert is_allowed(Caller("chromium", "e" * 32))
        assert identity().chromium_origins[1] == f"chrome-extension://{'e' * 32}/"
    finally:
        identity_module.shipped_ids.cache_clear()


def test_ids_from_the_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ids remembered by install --extension-id are served, each only in its own browser."""
    monkeypatch.delenv(EXTRA_IDS_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert not is_allowed(Caller("chromium", "f" * 32))
    assert remember_ids(["f" * 32, "me@example.org"]) == ["f" * 32, "me@example.org"]
    assert is_allowed(Caller("chromium", "f" * 32))
    assert is_allowed(Caller("firefox", "me@example.org"))
    assert not is_allowed(Caller("firefox", "f" * 32))
    assert not is_allowed(Caller("chromium", "me@example.org"))


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
