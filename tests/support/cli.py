"""Running the real ``imapkey`` command line in a subprocess, on pipes or on a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from support.certs import CertSet
from support.scripted import ScriptedServer

CLI = Path(sys.executable).with_name("imapkey")
HOST = Path(sys.executable).with_name("imapkey-host")


def run_cli(
    args: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``imapkey ARGS`` with ``stdin`` as its input; never raises for a non-zero exit."""
    return subprocess.run(
        [str(CLI), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def _controlling_tty() -> None:
    """In the child: make the terminal on stdin its controlling terminal, as a shell does,
    so /dev/tty works and Ctrl-C becomes SIGINT."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A program on a pseudo-terminal, driven like a person at the keyboard."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=_controlling_tty,  # noqa: PLW1509 - the child is single-threaded then
        )
        os.close(slave)
        self.output = b""

    def _read(self, until: float) -> bool:
        """Read what is there (waiting until ``until``); False once the program is gone."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every copy of the terminal's other side is closed
            return False
        self.output += chunk
        return bool(chunk)

    def expect(self, text: str, timeout: float = 20) -> None:
        """Wait until the screen has shown ``text``."""
        until = time.monotonic() + timeout
        while text.encode() not in self.output:
            if time.monotonic() > until or not self._read(until):
                raise AssertionError(f"{text!r} never appeared; the screen showed {self.output!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self, timeout: float = 60) -> int:
        """Read to the end and return the exit status."""
        until = time.monotonic() + timeout
        while time.monotonic() < until and self._read(until):
            pass
        status = self.proc.wait(max(0.1, until - time.monotonic()))
        os.close(self.master)
        return status

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


def run_in_terminal(args: list[str], env: dict[str, str]) -> Terminal:
    """``imapkey ARGS`` on a terminal of its own (stdin, stdout and stderr)."""
    return Terminal([str(CLI), *args], env)


def server_flags(server: ScriptedServer, certs: CertSet) -> list[str]:
    """The flags that point a command at a scripted TLS server."""
    return ["--host", "localhost", "--port", str(server.port), "--ca-file", str(certs.ca_file)]
