"""The real imapkey-host process: serves our extension, refuses others, survives bad input."""

from __future__ import annotations

import json
import struct
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imapkey import __version__
from imapkey.framing import MAX_FRAME
from imapkey.ops import OPS
from support.hostproc import (
    HOST_EXE,
    HostProcess,
    chromium_args,
    firefox_args,
    frame,
    serve_once,
)

HELLO = {"v": 1, "id": "h1", "type": "hello"}


def _assert_clean_exit(proc: HostProcess, code: int = 0) -> bytes:
    rc, out, err = proc.close()
    assert rc == code
    assert err == b""
    return out


@pytest.mark.parametrize(
    "args",
    [
        chromium_args(),
        [*chromium_args(), "--parent-window=0"],
        firefox_args(),
    ],
    ids=["chromium", "chromium-windows", "firefox"],
)
def test_hello_for_each_browser(args: list[str], env: dict[str, str]) -> None:
    """Both browsers' argv forms get a hello with protocol, version and ops."""
    proc = HostProcess(args, env)
    reply = proc.request(HELLO)
    assert reply == {
        "v": 1,
        "id": "h1",
        "ok": True,
        "result": {"protocol": 1, "version": __version__, "ops": sorted(OPS)},
    }
    assert _assert_clean_exit(proc) == b""


@pytest.mark.parametrize(
    "args",
    [
        ["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"],
        ["/x/org.imapkey.host.json", "evil@example.com"],
        [],
    ],
    ids=["foreign-chromium", "foreign-firefox", "no-args"],
)
def test_foreign_caller_gets_one_origin_denied(args: list[str], env: dict[str, str]) -> None:
    """Any other caller gets exactly one origin_denied reply, and the host exits."""
    proc = HostProcess(args, env)
    reply = proc.recv()
    assert reply is not None
    assert reply["ok"] is False
    assert reply["id"] is None
    assert reply["error"]["code"] == "origin_denied"
    assert _assert_clean_exit(proc, code=1) == b""


def test_dev_extension_id_from_environment(env: dict[str, str]) -> None:
    """IMAPKEY_EXTRA_EXTENSION_IDS lets a development id through."""
    env["IMAPKEY_EXTRA_EXTENSION_IDS"] = "b" * 32
    proc = HostProcess([f"chrome-extension://{'b' * 32}/"], env)
    assert proc.request(HELLO)["ok"] is True
    _assert_clean_exit(proc)


@pytest.mark.parametrize(
    ("raw", "code", "rid"),
    [
        (frame(b"\xff\xfe"), "bad_json", None),
        (frame(b"{nope"), "bad_json", None),
        (frame(b""), "bad_json", None),
        (frame(b"[1]"), "invalid_request", None),
        (frame({"v": 1, "type": "hello"}), "invalid_request", None),
        (frame({"v": 1, "id": "q", "type": "nope"}), "unknown_type", "q"),
        (frame({"v": 9, "id": "q", "type": "hello"}), "unsupported_version", "q"),
        (frame({"v": 1, "id": "q", "type": "hello", "extra": 1}), "invalid_request", "q"),
    ],
)
def test_bad_requests_leave_the_port_usable(
    host: HostProcess, raw: bytes, code: str, rid: str | None
) -> None:
    """Each bad request gets its code and the very next request is still answered."""
    host.send_raw(raw)
    reply = host.recv()
    assert reply is not None
    assert (reply["ok"], reply["id"], reply["error"]["code"]) == (False, rid, code)
    assert reply["error"]["message"]
    assert host.request(HELLO)["ok"] is True
    _assert_clean_exit(host)


def test_oversized_frame_one_reply_then_exit(host: HostProcess) -> None:
    """A frame over 1 MiB gets one message_too_large reply and the host exits 0."""
    host.send_raw(struct.pack("=I", MAX_FRAME + 1) + b"{}")
    reply = host.recv()
    assert reply is not None
    assert reply["error"]["code"] == "message_too_large"
    assert host.proc.wait(timeout=5) == 0
    assert host.recv() is None


def test_frame_of_exactly_1_mib_is_served(host: HostProcess) -> None:
    """A request of exactly 1 MiB is read whole and answered (here: its field is refused)."""
    pad = MAX_FRAME - len(json.dumps({"v": 1, "id": "big", "type": "hello", "pad": ""}))
    big = {"v": 1, "id": "big", "type": "hello", "pad": "x" * pad}
    assert len(json.dumps(big)) == MAX_FRAME
    reply = host.request(big)
    assert (reply["id"], reply["error"]["code"]) == ("big", "invalid_request")
    assert host.request(HELLO)["ok"] is True


def test_truncated_frame_then_eof_exits_quietly(host: HostProcess) -> None:
    """Half a frame and then EOF: no reply, no stderr, exit 0."""
    host.send_raw(struct.pack("=I", 100) + b'{"v": 1')
    assert _assert_clean_exit(host) == b""


def test_fifty_pipelined_requests_each_answered_once(host: HostProcess) -> None:
    """50 requests sent before reading any reply are each answered exactly once."""
    ids = [f"r{i}" for i in range(50)]
    host.send_raw(b"".join(frame({"v": 1, "id": i, "type": "hello"}) for i in ids))
    seen = [host.recv() for _ in ids]
    assert sorted(r["id"] for r in seen if r) == sorted(ids)
    assert all(r and r["ok"] for r in seen)
    assert _assert_clean_exit(host) == b""


def test_eof_exits_within_two_seconds(host: HostProcess) -> None:
    """Closing stdin ends the host with status 0 well inside 2 s."""
    host.request(HELLO)
    started = time.monotonic()
    _assert_clean_exit(host)
    assert time.monotonic() - started < 2


def test_log_file_in_xdg_state_and_nothing_on_stderr(env: dict[str, str]) -> None:
    """Requests are logged to $XDG_STATE_HOME/imapkey/log/host.log, never to stderr."""
    proc = HostProcess(chromium_args(), env)
    proc.request(HELLO)
    proc.send_raw(frame(b"{bad"))
    proc.recv()
    _assert_clean_exit(proc)
    log = Path(env["XDG_STATE_HOME"]) / "imapkey" / "log" / "host.log"
    text = log.read_text()
    assert "hello h1 from chromium ok" in text
    assert "bad_json" in text


def test_log_level_from_environment(env: dict[str, str]) -> None:
    """IMAPKEY_LOG_LEVEL=ERROR silences the info lines."""
    env["IMAPKEY_LOG_LEVEL"] = "ERROR"
    proc = HostProcess(chromium_args(), env)
    proc.request(HELLO)
    _assert_clean_exit(proc)
    log = Path(env["XDG_STATE_HOME"]) / "imapkey" / "log" / "host.log"
    assert not log.exists() or "hello" not in log.read_text()


def test_version_flag() -> None:
    """imapkey-host --version prints the package version."""
    out = subprocess.run([str(HOST_EXE), "--version"], capture_output=True, check=True, text=True)
    assert out.stdout == f"imapkey-host {__version__}\n"


def _modules_after(request: dict[str, object], env: dict[str, str]) -> set[str]:
    """The modules a real host process has imported once it has served ``request``."""
    return serve_once(request, env)[1]


def test_hello_imports_no_network_tls_or_keyring_code(env: dict[str, str]) -> None:
    """Serving hello never imports ssl, socket, asyncio, imaplib, keyring or DNS code."""
    modules = _modules_after(HELLO, env)
    assert "imapkey.ops.hello" in modules
    forbidden = {"ssl", "_ssl", "asyncio", "imaplib", "keyring", "dns", "imapkey.prober"}
    forbidden.add("importlib.metadata")  # pydantic's plugin scan (imapkey.quickstart)
    assert not modules & forbidden


def test_index_only_list_imports_no_keyring(env: dict[str, str]) -> None:
    """list with secrets: false (the popup's first answer) never imports keyring or D-Bus code."""
    modules = _modules_after({"v": 1, "id": "l", "type": "list", "secrets": False}, env)
    assert "imapkey.ops.list_accounts" in modules
    forbidden = {"keyring", "secretstorage", "jeepney", "asyncio", "dns", "imapkey.prober.check"}
    forbidden.add("importlib.metadata")
    assert not modules & forbidden


def test_list_imports_no_prober_tls_or_asyncio(env: dict[str, str]) -> None:
    """Serving list (the popup's first request) never imports the prober, asyncio or DNS code."""
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # no keyring needed here
    modules = _modules_after({"v": 1, "id": "l", "type": "list"}, env)
    assert "imapkey.ops.list_accounts" in modules
    forbidden = {"asyncio", "imaplib", "dns", "imapkey.prober.probe", "imapkey.prober.check"}
    assert not modules & forbidden


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=512))
def test_arbitrary_bytes_never_crash_the_real_host(data: bytes, env: dict[str, str]) -> None:
    """Whatever bytes arrive, the real host exits 0 or 1 without a traceback on stderr."""
    proc = HostProcess(chromium_args(), env)
    proc.send_raw(data)
    rc, _, err = proc.close(timeout=10)
    assert rc == 0
    assert err == b""


def test_deeply_nested_json_is_bad_json_and_the_host_keeps_serving(host: HostProcess) -> None:
    """JSON nested past the parser's recursion limit gets bad_json, and the port stays usable."""
    host.send_raw(frame(b"[" * 100_000 + b"]" * 100_000))
    reply = host.recv()
    assert reply is not None
    assert reply["error"]["code"] == "bad_json"
    assert host.request(HELLO)["ok"] is True
    _assert_clean_exit(host)


def test_request_id_with_a_newline_cannot_forge_a_log_line(env: dict[str, str]) -> None:
    """A request id carrying a newline is written with the newline spelled out."""
    proc = HostProcess(chromium_args(), env)
    forged = "x\n2026-01-01 host[1] INFO forged"
    assert proc.request({"v": 1, "id": forged, "type": "nope"})["error"]["code"] == "unknown_type"
    _assert_clean_exit(proc)
    log = Path(env["XDG_STATE_HOME"]) / "imapkey" / "log" / "host.log"
    lines = log.read_text().splitlines()
    assert not any(line.startswith("2026-01-01 host[1]") for line in lines)
    assert any("x\\n2026-01-01 host[1] INFO forged" in line for line in lines)


def test_log_and_its_folders_are_private(env: dict[str, str]) -> None:
    """The log file is 0600 and the folders above it that imapkey makes are 0700."""
    state = Path(env["XDG_STATE_HOME"]) / "imapkey"
    (state / "log").mkdir(parents=True, mode=0o755)  # as an older version left it
    (state / "log").chmod(0o755)
    state.chmod(0o755)
    proc = HostProcess(chromium_args(), env)
    proc.request(HELLO)
    _assert_clean_exit(proc)
    assert (state / "log" / "host.log").stat().st_mode & 0o777 == 0o600
    assert (state / "log").stat().st_mode & 0o777 == 0o700
    assert state.stat().st_mode & 0o777 == 0o700


def test_host_writes_no_core_dumps(host: HostProcess) -> None:
    """The running host's core file size limit is 0, so a crash cannot spill a password."""
    host.request(HELLO)
    limits = Path(f"/proc/{host.proc.pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"]
    _assert_clean_exit(host)
