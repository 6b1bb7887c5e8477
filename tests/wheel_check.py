"""The built wheel as a user gets it: installed outside the tree, registered, and answering.

Run by ``make test`` (target ``wheel-test``). Builds the wheel, installs it into a fresh venv
in a temporary folder (and, with ``pip install --user``, into a private user base whose
``bin`` is not on PATH, and with pipx), then from each: ``imapkey install --dir``, ``imapkey doctor`` and a
``hello`` round with the host the manifest names, as Chromium and as Firefox start it. As root
it also reproduces security finding 5: ``install --system`` from a venv owned by an ordinary
user is refused, naming the path.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def run(
    args: list[str | Path], env: dict[str, str], cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if check and out.returncode != 0:
        raise SystemExit(f"{args} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


def hello(exe: str, args: list[str], env: dict[str, str]) -> dict[str, object]:
    body = json.dumps({"v": 1, "id": "w", "type": "hello"}).encode()
    out = subprocess.run(
        [exe, *args],
        input=struct.pack("=I", len(body)) + body,
        capture_output=True,
        env=env,
        cwd=str(Path(exe).parent),
        timeout=30,
        check=False,
    )
    (length,) = struct.unpack("=I", out.stdout[:4])
    reply: dict[str, object] = json.loads(out.stdout[4 : 4 + length])
    return reply


def user_env(base: Path) -> dict[str, str]:
    """A user with nothing of the checkout: private HOME and XDG folders, a bare PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VIRTUAL_ENV"))}
    env.update(
        HOME=str(base / "home"),
        XDG_CONFIG_HOME=str(base / "config"),
        XDG_STATE_HOME=str(base / "state"),
        XDG_DATA_HOME=str(base / "data"),
        PATH="/usr/local/bin:/usr/bin:/bin",
    )
    env.pop("PYTHONPATH", None)
    env.pop("IMAPKEY_EXTRA_EXTENSION_IDS", None)
    (base / "home").mkdir(parents=True, exist_ok=True)
    return env


def register_and_reach(cli: Path, expected_host: Path, base: Path, env: dict[str, str]) -> None:
    """install --dir, doctor, and hello as each browser starts the host."""
    folder = base / "udd" / "NativeMessagingHosts"
    out = run([cli, "install", "--dir", folder], env, cwd=base)
    assert "-chrome.zip" in out.stdout, out.stdout  # no checkout: the closing words say so
    assert str(ROOT) not in out.stdout, out.stdout
    manifest = json.loads((folder / "org.imapkey.host.json").read_text())
    assert manifest["path"] == str(expected_host), (manifest["path"], expected_host)
    report = json.loads(run([cli, "doctor", "--dir", folder, "--json"], env, base, False).stdout)
    [extra] = [
        b for b in report["browsers"] if b["manifest"] == str(folder / manifest["name"]) + ".json"
    ]
    assert extra["reachable"], extra["findings"]
    ids = json.loads((ROOT / "manifests/extension-ids.json").read_text())
    origin = f"chrome-extension://{ids['chromium']['development']}/"
    assert manifest["allowed_origins"][0] == origin
    for args in ([origin], [str(folder / "org.imapkey.host.json"), "imapkey@imapkey.org"]):
        reply = hello(manifest["path"], args, env)
        assert reply["ok"] is True, reply
    print(f"  registered {expected_host}: doctor reachable, hello answered (Chromium, Firefox)")


def main() -> None:
    base = Path(tempfile.mkdtemp(prefix="imapkey-wheel-"))
    try:
        dist = base / "dist"
        run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT],
            dict(os.environ),
            ROOT,
        )
        [wheel] = dist.glob("imapkey-*.whl")
        print(f"built {wheel.name}")

        venv = base / "venv"
        run([sys.executable, "-m", "venv", venv], dict(os.environ), base)
        run([venv / "bin/python", "-m", "pip", "install", "-q", wheel], dict(os.environ), base)
        print(f"venv {venv}:")
        register_and_reach(
            venv / "bin/imapkey", venv / "bin/imapkey-host", base / "v", user_env(base / "v")
        )

        pipx_tool = base / "pipx-tool"
        run([sys.executable, "-m", "venv", pipx_tool], dict(os.environ), base)
        run(
            [pipx_tool / "bin/python", "-m", "pip", "install", "-q", "pipx"], dict(os.environ), base
        )
        env = user_env(base / "p")
        env.update(PIPX_HOME=str(base / "pipx"), PIPX_BIN_DIR=str(base / "pipx-bin"))
        run([pipx_tool / "bin/pipx", "install", wheel], env, base)
        print(f"pipx install into {base / 'pipx'} (its bin not on PATH):")
        host = base / "pipx/venvs/imapkey/bin/imapkey-host"
        register_and_reach(base / "pipx-bin/imapkey", host, base / "p", env)

        userbase = base / "userbase"
        env = user_env(base / "u")
        env["PYTHONUSERBASE"] = str(userbase)
        python = getattr(sys, "_base_executable", sys.executable)
        flags = ["--user", "--break-system-packages", "-q", "--disable-pip-version-check"]
        run([python, "-m", "pip", "install", *flags, wheel], env, base)
        print(f"pip install --user into {userbase} (its bin not on PATH):")
        register_and_reach(userbase / "bin/imapkey", userbase / "bin/imapkey-host", base / "u", env)

        if os.geteuid() == 0:
            os.chown(venv, NOBODY, NOBODY)
            out = run(
                [venv / "bin/imapkey", "install", "--system", "--print"],
                user_env(base / "s"),
                base,
                False,
            )
            assert out.returncode == 1, (out.returncode, out.stdout, out.stderr)
            assert f"Refusing --system: {venv} is owned by uid {NOBODY}, not root." in out.stderr, (
                out.stderr
            )
            print("  install --system from a venv owned by another user: refused, path named")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
