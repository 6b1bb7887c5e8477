"""A real Secret Service: gnome-keyring in a private D-Bus session, with a private HOME.

See ../shared/reference/test-services.md. Nothing touches the user's real keyring.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from support.services import require


@dataclass
class SecretService:
    base: Path
    env: dict[str, str] = field(default_factory=dict)
    _procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        dbus_daemon = require("dbus-daemon", "dbus")
        gnome_keyring = require("gnome-keyring-daemon", "gnome-keyring")
        dbus_send = require("dbus-send", "dbus-bin")
        runtime = self.base / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        env = {
            "HOME": str(self.base / "home"),
            "XDG_DATA_HOME": str(self.base / "home" / ".local" / "share"),
            "XDG_RUNTIME_DIR": str(runtime),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        bus = subprocess.Popen(
            [dbus_daemon, "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._procs.append(bus)
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        keyring = subprocess.Popen(
            [gnome_keyring, "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._procs.append(keyring)
        assert keyring.stdin is not None
        keyring.stdin.write(b"imapkey-test-keyring")
        keyring.stdin.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = subprocess.run(
                [
                    dbus_send,
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if "boolean true" in probe.stdout:
                self.env = env
                return
            time.sleep(0.05)
        raise RuntimeError("gnome-keyring did not come up on the private bus")

    def lookup(self, service: str, username: str) -> str | None:
        """What ``secret-tool`` (libsecret, not Python keyring) finds."""
        tool = require("secret-tool", "libsecret-tools")
        out = subprocess.run(
            [tool, "lookup", "service", service, "username", username],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout if out.returncode == 0 else None

    def stop(self) -> None:
        for proc in reversed(self._procs):
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
