"""--system refuses a host that an ordinary user could replace, and names the path that fails."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from imapkey.install.commands import system_refusal
from imapkey.install.trust import interpreter_of, system_install_problem

NOBODY = 65534


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    """A root-only venv-like tree: bin/imapkey-host with a #! to bin/python, site-packages."""
    if os.geteuid() != 0:
        pytest.skip("the ownership attacks need root to hand files to another user")
    root = tmp_path / "opt" / "imapkey"
    (root / "bin").mkdir(parents=True)
    site = root / "lib/python3.11/site-packages"
    (site / "imapkey").mkdir(parents=True)
    (site / "imapkey/__init__.py").write_text("")
    (site / "pydantic").mkdir()
    (root / "bin/python").symlink_to(sys.executable)
    host = root / "bin/imapkey-host"
    host.write_text(f"#!{root}/bin/python\nimport imapkey.host\n")
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() or path == host else 0o644)
    return root


def _problem(root: Path) -> str | None:
    site = root / "lib/python3.11/site-packages"
    return system_install_problem(root / "bin/imapkey-host", site / "imapkey")


def test_root_only_tree_is_accepted(venv: Path) -> None:
    """A host, interpreter and packages only root can change pass."""
    assert _problem(venv) is None


def test_user_owned_venv_is_refused(venv: Path) -> None:
    """The reported attack: a venv owned by an ordinary user is refused, naming it."""
    os.chown(venv, NOBODY, NOBODY)
    assert _problem(venv) == f"{venv} is owned by uid {NOBODY}, not root"
    message = system_refusal(str(venv / "bin/imapkey-host"))
    assert message.startswith(f"Refusing --system: {venv} is owned by uid {NOBODY}, not root.")
    assert "imapkey install" in message  # and what to do instead


def test_user_owned_package_inside_site_packages_is_refused(venv: Path) -> None:
    """One dependency a user can rewrite is enough to run code as everyone."""
    site = venv / "lib/python3.11/site-packages"
    os.chown(site / "pydantic", NOBODY, NOBODY)
    assert _problem(venv) == f"{site / 'pydantic'} is owned by uid {NOBODY}, not root"


def test_group_writable_folder_above_is_refused(venv: Path) -> None:
    """A folder above the host writable by its group fails, with its mode."""
    os.chmod(venv / "bin", 0o775)
    assert _problem(venv) == f"{venv / 'bin'} is writable by its group (mode 775)"


def test_interpreter_owned_by_a_user_is_refused(venv: Path, tmp_path: Path) -> None:
    """The #! interpreter counts: a symlink to a user's Python is refused."""
    theirs = tmp_path / "home-user" / "python"
    theirs.parent.mkdir()
    theirs.write_text("")
    os.chown(theirs.parent, NOBODY, NOBODY)
    (venv / "bin/python").unlink()
    (venv / "bin/python").symlink_to(theirs)
    assert _problem(venv) == f"{theirs.parent} is owned by uid {NOBODY}, not root"


def test_planted_symlink_owned_by_a_user_is_refused(venv: Path) -> None:
    """A symlink on the way that a user created (and can retarget) fails."""
    link = venv / "bin/python"
    os.lchown(link, NOBODY, NOBODY)
    assert _problem(venv) == f"{link} is a symlink owned by uid {NOBODY}, not root"


def test_env_shebang_is_refused(venv: Path) -> None:
    """#!/usr/bin/env python3 runs whatever each user's PATH finds first."""
    (venv / "bin/imapkey-host").write_text("#!/usr/bin/env python3\n")
    problem = _problem(venv)
    assert problem is not None
    assert "each user's PATH ('python3')" in problem


def test_pip_trampoline_shebang_is_understood(tmp_path: Path) -> None:
    """pip's /bin/sh trampoline for long paths names the real interpreter on line two."""
    script = tmp_path / "imapkey-host"
    script.write_text("#!/bin/sh\n'''exec' '/very long/venv/bin/python' \"$0\" \"$@\"\n' '''\n")
    assert interpreter_of(script) == Path("/very long/venv/bin/python")
    script.write_bytes(b"\x7fELF")
    assert interpreter_of(script) is None
