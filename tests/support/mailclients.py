"""Running the real mail clients from Debian on a snippet: batch ones directly, TUIs in tmux."""

from __future__ import annotations

import email
import email.policy
import subprocess
import time
import uuid
from pathlib import Path

from support.services import require

PACKAGES = {
    "mbsync": "isync",
    "offlineimap": "offlineimap3",
    "neomutt": "neomutt",
    "aerc": "aerc",
    "msmtp": "msmtp",
    "tmux": "tmux",
}


def executable(name: str) -> str:
    """The client's path; a missing one skips locally and fails under CI (support.services)."""
    return require(name, PACKAGES[name])


def run(
    argv: list[str], env: dict[str, str], cwd: Path, *, timeout: float = 90, tries: int = 1
) -> subprocess.CompletedProcess[str]:
    """Run a batch client; on a hang, try again up to ``tries`` times in all, then fail with
    what it had printed."""
    for attempt in range(1, tries + 1):
        try:
            return subprocess.run(
                argv,
                env=env,
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            if attempt < tries:
                continue
            out = b"".join(part or b"" for part in (exc.stdout, exc.stderr))
            raise AssertionError(
                f"{argv[0]} hung for {timeout:.0f} s ({tries} tries); it printed:\n{out.decode()}"
            ) from None
    raise AssertionError("unreachable")


def subjects(maildir: Path) -> list[str]:
    """The Subject of every message in a local maildir (new/ and cur/)."""
    found = []
    for sub in ("new", "cur"):
        folder = maildir / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            found.append(str(message["Subject"]))
    return found


class Tmux:
    """A private tmux server running one program in a fixed-size window."""

    def __init__(self, base: Path, env: dict[str, str]) -> None:
        self.tmux = executable("tmux")
        self.socket = base / f"tmux-{uuid.uuid4().hex[:8]}"
        self.env = env

    def _cmd(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.tmux, "-S", str(self.socket), "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )

    def start(self, argv: list[str], cwd: Path) -> None:
        import shlex

        # remain-on-exit keeps the pane (and the program's last words) if the program dies.
        started = self._cmd(
            "new-session", "-d", "-x", "160", "-y", "40", "-c", str(cwd), shlex.join(argv)
        )
        assert started.returncode == 0, started.stderr
        self._cmd("set-option", "-g", "remain-on-exit", "on")

    def screen(self) -> str:
        lines = self._cmd("capture-pane", "-p", "-J").stdout.splitlines()
        return "\n".join(line.rstrip() for line in lines).strip("\n")

    def keys(self, *keys: str) -> None:
        self._cmd("send-keys", *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """The screen once it shows ``text``; AssertionError with the last screen otherwise."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def stop(self) -> None:
        self._cmd("kill-server")
