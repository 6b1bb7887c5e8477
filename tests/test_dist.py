"""The store builds and the icons: what scripts/dist_extension.py and scripts/icons.py make."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_committed_icons_are_the_scripts_drawing(tmp_path: Path) -> None:
    """Every icon in extension/icons/ is exactly what scripts/icons.py draws: one source."""
    icons = _script("icons")
    for path in icons.write(tmp_path):
        assert path.read_bytes() == (ROOT / "extension/icons" / path.name).read_bytes(), path.name
    manifest = json.loads((ROOT / "extension/manifest.json").read_text())
    sizes = {str(s): f"icons/icon-{s}.png" for s in icons.SIZES}
    assert manifest["icons"] == sizes == manifest["action"]["default_icon"]


def test_icon_pngs_have_their_sizes() -> None:
    """Each PNG's header says the size its name promises (RGBA)."""
    for size in (16, 32, 48, 128):
        data = (ROOT / f"extension/icons/icon-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == size == int.from_bytes(data[20:24], "big")
        assert data[25] == 6  # colour type RGBA


def test_store_builds(tmp_path: Path) -> None:
    """The Chrome zip has no key and only a service worker; the Firefox folder no key and only
    background scripts; both carry every file of extension/ and nothing else."""
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/dist_extension.py"), str(tmp_path)], check=True
    )
    source = json.loads((ROOT / "extension/manifest.json").read_text())
    files = sorted(
        p.relative_to(ROOT / "extension").as_posix()
        for p in (ROOT / "extension").rglob("*")
        if p.is_file()
    )
    [chrome_zip] = tmp_path.glob("imapkey-*-chrome.zip")
    assert chrome_zip.name == f"imapkey-{source['version']}-chrome.zip"
    with zipfile.ZipFile(chrome_zip) as z:
        assert sorted(z.namelist()) == files
        chrome = json.loads(z.read("manifest.json"))
    assert "key" not in chrome
    assert "browser_specific_settings" not in chrome
    assert chrome["background"] == {"service_worker": "background.js", "type": "module"}
    assert chrome["permissions"] == source["permissions"]
    firefox = json.loads((tmp_path / "extension-firefox/manifest.json").read_text())
    assert "key" not in firefox
    assert firefox["background"] == {"scripts": ["background.js"], "type": "module"}
    gecko = firefox["browser_specific_settings"]["gecko"]
    assert gecko["data_collection_permissions"]["required"] == [
        "authenticationInfo",
        "personallyIdentifyingInfo",
    ]
