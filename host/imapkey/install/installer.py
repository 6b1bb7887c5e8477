"""Registering the native host with browsers, and taking it away again.

A plan lists, per browser, the manifest file to write (and on Windows the HKCU key that points
at it; for a Flatpak browser, the wrapper that leaves the sandbox). ``apply`` carries a plan
out, ``remove`` is its exact reverse, and ``--print`` shows a plan without touching anything.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Protocol

from imapkey.identity import HOST_NAME, Identity, identity
from imapkey.install import manifests
from imapkey.install.browsers import (
    BROWSERS,
    BY_ID,
    Browser,
    Family,
    Platform,
    manifest_dir,
    supports,
)
from imapkey.install.browsers import installed as browser_installed


class Registry(Protocol):
    """The few registry operations the installer needs (HKCU only). A seam: tests pass a
    dictionary-backed one, Windows gets ``WindowsRegistry``."""

    def set_default(self, key: str, value: str) -> None: ...
    def get_default(self, key: str) -> str | None: ...
    def delete(self, key: str) -> None: ...


class WindowsRegistry:  # pragma: no cover - exercised on Windows only
    def set_default(self, key: str, value: str) -> None:
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:  # type: ignore[attr-defined]
            winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)  # type: ignore[attr-defined]

    def get_default(self, key: str) -> str | None:
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:  # type: ignore[attr-defined]
                value, _ = winreg.QueryValueEx(handle, "")  # type: ignore[attr-defined]
        except OSError:
            return None
        return str(value)

    def delete(self, key: str) -> None:
        import winreg

        with contextlib.suppress(OSError):
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Target:
    """One browser's registration."""

    browser: Browser
    family: Family
    manifest_path: PurePath
    manifest: str
    registry_key: str | None = None
    wrapper_path: PurePath | None = None
    wrapper: str | None = None


def current_platform() -> Platform:
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform == "win32":
        return "win32"
    return "linux"


def host_executable() -> str:
    """The absolute path of this installation's imapkey-host (see ``hostpath``)."""
    from imapkey.install.hostpath import host_executable as find

    return find()


def found_browsers(
    platform: Platform, home: Path, env: Mapping[str, str] | None = None
) -> list[Browser]:
    return [
        b for b in BROWSERS if supports(b, platform) and browser_installed(b, platform, home, env)
    ]


def plan(
    browsers: list[Browser],
    platform: Platform,
    home: PurePath,
    host_path: str,
    system: bool = False,
    custom_dir: PurePath | None = None,
    env: Mapping[str, str] | None = None,
    ids: Identity | None = None,
) -> list[Target]:
    """One target per manifest file (browsers sharing a folder share it)."""
    targets = []
    ids = identity() if ids is None else ids
    name = manifests.manifest_file_name()
    seen: set[PurePath] = set()
    for browser in browsers:
        if custom_dir is not None:
            folder = custom_dir
        elif browser.blocked is not None:
            raise ValueError(f"{browser.name}: {browser.blocked}")
        elif not supports(browser, platform, system):
            raise ValueError(
                f"{browser.name} has no {'system-wide ' if system else ''}native messaging "
                f"folder on {platform}"
            )
        else:
            folder = manifest_dir(browser, platform, home, system, env)
        path = folder / name
        if path in seen:
            continue
        seen.add(path)
        wrapper_path = wrapper = None
        exe = host_path
        if browser.is_flatpak and custom_dir is None:
            assert browser.flatpak_id is not None
            wrapper_path = folder / "imapkey-host-flatpak.sh"
            wrapper = manifests.render_flatpak_wrapper(browser.flatpak_id, host_path)
            exe = str(wrapper_path)
        key = None
        if platform == "win32" and custom_dir is None and browser.windows_key:
            key = f"{browser.windows_key}\\{HOST_NAME}"
        targets.append(
            Target(
                browser,
                browser.family,
                path,
                manifests.render(browser.family, exe, ids),
                key,
                wrapper_path,
                wrapper,
            )
        )
    return targets


def apply(targets: list[Target], registry: Registry | None = None) -> None:
    for target in targets:
        path = Path(target.manifest_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, target.manifest, 0o644)
        if target.wrapper_path is not None and target.wrapper is not None:
            _write(Path(target.wrapper_path), target.wrapper, 0o755)
        if target.registry_key is not None:
            reg = registry or WindowsRegistry()
            reg.set_default(target.registry_key, str(target.manifest_path))


def remove(targets: list[Target], registry: Registry | None = None) -> list[PurePath]:
    """Undo ``apply``: the files we wrote, our registry keys, and folders we left empty."""
    removed: list[PurePath] = []
    for target in targets:
        for file in (target.manifest_path, target.wrapper_path):
            if file is not None and Path(file).exists():
                Path(file).unlink()
                removed.append(file)
        if target.registry_key is not None:
            reg = registry or WindowsRegistry()
            if reg.get_default(target.registry_key) == str(target.manifest_path):
                reg.delete(target.registry_key)
        folder = Path(target.manifest_path).parent
        if folder.name == target.browser.id and folder.exists() and not any(folder.iterdir()):
            folder.rmdir()  # our own Windows folder
    return removed


def _write(path: Path, text: str, mode: int) -> None:
    """Replace ``path`` through a temporary file created exclusively (O_EXCL, a fresh random
    name) in the same folder: a symlink planted at any fixed name is never followed, and the
    rename replaces a symlink at ``path`` itself instead of writing through it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # our own fresh file: no symlink can stand at this name
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def select(
    names: list[str] | None, platform: Platform, home: Path, env: Mapping[str, str] | None = None
) -> list[Browser]:
    """Browsers by name, or every one found on this machine."""
    if names:
        unknown = [n for n in names if n not in BY_ID]
        if unknown:
            raise ValueError(f"unknown browser {unknown[0]!r}; known: {', '.join(BY_ID)}")
        return [BY_ID[n] for n in names]
    return found_browsers(platform, home, env)
