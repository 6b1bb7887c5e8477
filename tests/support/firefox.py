"""Debian's Firefox ESR, headless, driven through Marionette with the extension installed as
a temporary add-on (geckodriver is not installable here; see native-messaging.md)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from imapkey.identity import identity
from support.services import require

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
CLI = Path(sys.executable).with_name("imapkey")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Firefox:
    """One headless Firefox with a fresh profile; ``m`` is the Marionette client."""

    def __init__(
        self,
        base: Path,
        env: dict[str, str],
        install_host: bool = True,
        extension: Path = EXTENSION,
    ) -> None:
        from marionette_driver.addons import Addons
        from marionette_driver.marionette import Marionette

        executable = require("firefox-esr", "firefox-esr")
        profile = base / "profile"
        profile.mkdir(parents=True)
        port = _free_port()
        (profile / "user.js").write_text(
            "\n".join(
                f'user_pref("{k}", {json.dumps(v)});'
                for k, v in {
                    "xpinstall.signatures.required": False,
                    "marionette.port": port,
                    "browser.shell.checkDefaultBrowser": False,
                    "datareporting.policy.dataSubmissionEnabled": False,
                    "app.update.disabledForTesting": True,
                    "network.dns.localDomains": "myaccount.google.com",
                }.items()
            )
        )
        if install_host:
            subprocess.run(
                [str(CLI), "install", "--browser", "firefox"],
                env=env,
                check=True,
                capture_output=True,
            )
        self.proc = subprocess.Popen(
            [
                executable,
                "--marionette",
                "-remote-allow-system-access",
                "--headless",
                "--profile",
                str(profile),
                "--no-remote",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.m = Marionette(host="127.0.0.1", port=port, startup_timeout=60)
        self.m.start_session({"acceptInsecureCerts": True})
        Addons(self.m).install(str(extension), temp=True)
        self.m.set_context("chrome")
        uuids = json.loads(
            self.m.execute_script(
                "return Services.prefs.getStringPref('extensions.webextensions.uuids')"
            )
        )
        self.m.set_context("content")
        self.base_url = f"moz-extension://{uuids[identity().gecko_id]}"

    def popup_url(self, tab_id: int | None = None) -> str:
        query = f"?tab={tab_id}" if tab_id is not None else ""
        return f"{self.base_url}/popup.html{query}"

    def extension_call(self, expression: str) -> Any:
        """Evaluate a promise-returning expression with the extension page's `browser`."""
        script = (
            "const done = arguments[0]; const browser = window.wrappedJSObject.browser;"
            f"Promise.resolve({expression}).then(r => done(JSON.stringify(r)),"
            " e => done(JSON.stringify({error: String(e)})));"
        )
        return json.loads(self.m.execute_async_script(script))

    def close(self) -> None:
        try:
            self.m.delete_session()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
