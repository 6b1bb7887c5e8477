"""Is a host safe to register system-wide? Only if no ordinary user can change what runs.

A system-wide manifest makes every user's browser start the host. If the host executable, the
Python it runs on, the imapkey package it imports, or any folder above one of them belongs to
an ordinary user (or is writable by a group or by everyone), that user can swap the code and
run it as everyone who uses the extension. ``--system`` therefore refuses such a host and
names the first path that fails.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Iterable
from pathlib import Path

ROOT_UID = 0


def interpreter_of(executable: Path) -> Path | None:
    """The interpreter a script's ``#!`` line names (pip's ``/bin/sh`` trampoline for long
    paths included); None for a binary."""
    try:
        with executable.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    lines = head.decode("utf-8", "replace").splitlines()
    words = shlex.split(lines[0][2:].strip()) or [""]
    if words[0] == "/bin/sh" and len(lines) > 1 and lines[1].startswith("'''exec' "):
        words = shlex.split(lines[1].removeprefix("'''exec' "))
    if Path(words[0]).name == "env" and len(words) > 1:
        return Path(f"env:{words[-1]}")  # each user's PATH decides what runs
    return Path(words[0])


def _chain(path: Path) -> Iterable[Path]:
    """The path, every folder above it, and the same for whatever its symlinks point to."""
    seen: set[Path] = set()
    todo = [Path(os.path.abspath(path))]
    while todo:
        current = todo.pop()
        for node in (current, *current.parents):
            if node in seen:
                continue
            seen.add(node)
            yield node
            if node.is_symlink():
                target = Path(os.readlink(node))
                todo.append(Path(os.path.abspath(node.parent / target)))


def _node_problem(node: Path, trusted_uid: int) -> str | None:
    try:
        info = node.lstat()
    except OSError:
        return f"{node} does not exist"
    if stat.S_ISLNK(info.st_mode):
        if info.st_uid != trusted_uid:
            return f"{node} is a symlink owned by uid {info.st_uid}, not root"
        return None
    if info.st_uid != trusted_uid:
        return f"{node} is owned by uid {info.st_uid}, not root"
    writable = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    sticky_dir = stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX
    if writable and not sticky_dir:  # /tmp-like folders cannot have entries replaced
        who = {stat.S_IWGRP: "its group", stat.S_IWOTH: "everyone"}.get(
            writable, "its group and everyone"
        )
        return f"{node} is writable by {who} (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def problem(path: Path, trusted_uid: int = ROOT_UID) -> str | None:
    """Why ``path`` (or a folder above it, or a symlink's target) is not safe, or None."""
    for node in _chain(path):
        reason = _node_problem(node, trusted_uid)
        if reason is not None:
            return reason
    return None


def tree_problem(folder: Path, trusted_uid: int = ROOT_UID) -> str | None:
    """Why something inside ``folder`` (its whole tree, e.g. site-packages) is not safe."""
    for parent, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            reason = _node_problem(Path(parent) / name, trusted_uid)
            if reason is not None:
                return reason
    return None


def system_install_problem(
    host: Path, package_dir: Path, trusted_uid: int = ROOT_UID
) -> str | None:
    """Why registering ``host`` for every user is unsafe, or None when root alone controls
    the host, its interpreter, and the folder of packages imapkey runs from (``package_dir``
    is imapkey's own folder; its parent, site-packages, is checked whole)."""
    if not host.is_absolute():
        return f"{host} is not an absolute path"
    interpreter = interpreter_of(host)
    if interpreter is not None and str(interpreter).startswith("env:"):
        return (
            f"{host} finds its interpreter through each user's PATH "
            f"('{str(interpreter)[4:]}'): a user's own copy would run"
        )
    for path in (host, interpreter, package_dir):
        if path is None:
            continue
        reason = problem(path, trusted_uid)
        if reason is not None:
            return reason
    return tree_problem(package_dir.parent, trusted_uid)
