"""Stage the extension for each store and zip the Chrome Web Store / Edge Add-ons build.

    python3 scripts/dist_extension.py DIST_DIR

writes
  DIST_DIR/extension-chrome/   the folder as the Chrome Web Store and Edge Add-ons want it:
                               no ``key`` (the store refuses it and assigns its own id), no
                               Firefox-only settings, a service-worker background only;
  DIST_DIR/extension-firefox/  the folder for addons.mozilla.org (``web-ext build`` zips it):
                               no ``key`` and no ``service_worker`` (Firefox uses ``scripts``);
  DIST_DIR/imapkey-<version>-chrome.zip
and checks that nothing but the manifest differs from ``extension/``. The zip is
reproducible: sorted entries, fixed timestamps.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "extension"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def chrome_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in manifest.items() if k not in ("key", "browser_specific_settings")}
    out["background"] = {
        k: v for k, v in manifest["background"].items() if k in ("service_worker", "type")
    }
    return out


def firefox_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in manifest.items() if k != "key"}
    out["background"] = {
        k: v for k, v in manifest["background"].items() if k in ("scripts", "type")
    }
    return out


def stage(dest: Path, manifest: dict[str, Any]) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(SOURCE, dest)
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return dest


def zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())


def main(dist: Path) -> None:
    manifest = json.loads((SOURCE / "manifest.json").read_text(encoding="utf-8"))
    version = manifest["version"]
    init = (ROOT / "host/imapkey/__init__.py").read_text(encoding="utf-8")
    if f'__version__ = "{version}"' not in init:
        raise SystemExit(
            f"extension {version} and host/imapkey/__init__.py disagree on the version"
        )
    dist.mkdir(parents=True, exist_ok=True)
    chrome = stage(dist / "extension-chrome", chrome_manifest(manifest))
    stage(dist / "extension-firefox", firefox_manifest(manifest))
    target = dist / f"imapkey-{version}-chrome.zip"
    zip_folder(chrome, target)
    with zipfile.ZipFile(target) as z:
        shipped = json.loads(z.read("manifest.json"))
        if "key" in shipped:
            raise SystemExit("the Chrome Web Store build must not carry a key")
        for size in ("16", "32", "48", "128"):
            z.getinfo(shipped["icons"][size])  # every icon the manifest names is inside
    print(target)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
