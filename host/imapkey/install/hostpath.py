"""Finding this installation's ``imapkey-host``, however imapkey was installed.

pipx and venvs put it beside the interpreter (``<venv>/bin``); ``pip install --user`` puts it
in the user scheme's scripts folder (``~/.local/bin``), which is often not on PATH; a system
pip puts it in the default scheme's. The host must be the one of *this* installation, so the
folder belonging to where the imapkey package lives is asked first, PATH last.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import imapkey

MS_STORE_PYTHON_DOCS = (
    "https://docs.python.org/3/using/windows.html"
    "#redirection-of-local-data-registry-and-temporary-paths"
)


def host_name(platform: str = sys.platform) -> str:
    return "imapkey-host.exe" if platform == "win32" else "imapkey-host"


def candidate_dirs() -> list[Path]:
    """Scripts folders to look in, the one matching imapkey's own location first."""
    package = Path(imapkey.__file__).resolve().parent
    schemes = [sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")]
    dirs: list[Path] = []
    for scheme in schemes:
        try:
            purelib = Path(sysconfig.get_path("purelib", scheme)).resolve()
            scripts = Path(sysconfig.get_path("scripts", scheme))
        except KeyError:
            continue
        if package.is_relative_to(purelib):
            dirs.insert(0, scripts)  # the scheme imapkey was installed with
        else:
            dirs.append(scripts)
    dirs.append(Path(sys.executable).parent)  # a venv's or pipx's bin, unresolved
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def host_executable() -> str:
    """The absolute path of this installation's imapkey-host."""
    name = host_name()
    for folder in candidate_dirs():
        exe = folder / name
        if exe.is_file() and os.access(exe, os.X_OK):
            return str(exe.absolute())
    import shutil

    found = shutil.which("imapkey-host")
    if found is None:
        raise FileNotFoundError(
            "imapkey-host is not installed beside this imapkey (looked in "
            + ", ".join(str(d) for d in candidate_dirs())
            + ") nor on PATH; reinstall imapkey (pipx install imapkey)"
        )
    return str(Path(found).absolute())


def ms_store_python(executable: str = sys.executable, prefix: str = sys.base_prefix) -> bool:
    """Whether this is the Microsoft Store's Python, whose writes to %LOCALAPPDATA% go to a
    private copy that browsers never see (a venv made from it counts too)."""
    return any("PythonSoftwareFoundation.Python." in p for p in (executable, prefix))


MS_STORE_EXPLAINED = (
    "This Python comes from the Microsoft Store. Windows gives it a private copy of "
    "%LOCALAPPDATA%, so the host manifests imapkey writes there are invisible to your browsers "
    f"({MS_STORE_PYTHON_DOCS}). Install Python from python.org (or: winget install "
    "Python.Python.3.12), then: pipx install imapkey; imapkey install"
)
