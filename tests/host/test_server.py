"""Serving one port in-process: slow work never holds up other requests; failures are contained."""

from __future__ import annotations

import io
import json
import logging
import os
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from imapkey import ops
from imapkey.server import Host
from support.fake_ops import boom, slow
from support.hostproc import frame


class _Pipe:
    """A blocking byte pipe: the test writes frames, the host reads them."""

    def __init__(self) -> None:
        r, w = os.pipe()
        self.reader = os.fdopen(r, "rb", buffering=0)
        self.writer = os.fdopen(w, "wb", buffering=0)


class _Replies(io.RawIOBase):
    """Collects whole frames written by the host, in order."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.arrived = threading.Condition()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        (length,) = struct.unpack("=I", data[:4])
        assert len(data) == 4 + length, "a frame was split across writes"
        with self.arrived:
            self.frames.append(json.loads(data[4:]))
            self.arrived.notify_all()
        return len(data)

    def wait_for(self, count: int) -> list[dict[str, Any]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.frames) >= count, timeout=5)
            return list(self.frames)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[_Pipe, _Replies, list[int]]]:
    monkeypatch.setitem(ops.OPS, "slow", "support.fake_ops.slow")
    monkeypatch.setitem(ops.OPS, "boom", "support.fake_ops.boom")
    slow.release.clear()
    pipe, replies, codes = _Pipe(), _Replies(), []
    thread = threading.Thread(
        target=lambda: codes.append(Host(replies, "test").serve(pipe.reader))  # type: ignore[arg-type]
    )
    thread.start()
    yield pipe, replies, codes
    slow.release.set()
    pipe.writer.close()
    thread.join(5)


def test_slow_request_does_not_hold_up_hello(served: tuple[_Pipe, _Replies, list[int]]) -> None:
    """A hello sent after a slow request is answered first; the slow one answers when done."""
    pipe, replies, _ = served
    pipe.writer.write(frame({"v": 1, "id": "s", "type": "slow"}))
    pipe.writer.write(frame({"v": 1, "id": "h", "type": "hello"}))
    assert [r["id"] for r in replies.wait_for(1)] == ["h"]
    slow.release.set()
    assert [r["id"] for r in replies.wait_for(2)] == ["h", "s"]
    assert replies.frames[1]["result"] == {"released": True}


def test_eof_cancels_in_flight_work(served: tuple[_Pipe, _Replies, list[int]]) -> None:
    """At EOF in-flight work is told to stop; the host returns 0 once it has."""
    pipe, replies, codes = served
    pipe.writer.write(frame({"v": 1, "id": "s", "type": "slow"}))
    pipe.writer.close()
    assert replies.wait_for(1)[0]["result"] == {"cancelled": True}
    for _ in range(100):
        if codes:
            break
        threading.Event().wait(0.02)
    assert codes == [0]


def test_unexpected_failure_is_internal_error_without_its_text(
    served: tuple[_Pipe, _Replies, list[int]], caplog: pytest.LogCaptureFixture
) -> None:
    """An op's unexpected exception becomes internal_error; its message reaches no reply or log."""
    pipe, replies, _ = served
    logging.getLogger("imapkey").propagate = True
    with caplog.at_level(logging.DEBUG, logger="imapkey"):
        pipe.writer.write(frame({"v": 1, "id": "b", "type": "boom"}))
        pipe.writer.write(frame({"v": 1, "id": "h", "type": "hello"}))
        got = {r["id"]: r for r in replies.wait_for(2)}
    assert got["b"]["error"]["code"] == "internal_error"
    assert got["h"]["ok"] is True
    assert boom.CANARY not in json.dumps(got)
    assert "RuntimeError" in caplog.text
    assert boom.CANARY not in caplog.text


def test_quick_ops_answer_while_every_network_worker_is_busy(
    served: tuple[_Pipe, _Replies, list[int]],
) -> None:
    """With more slow requests in flight than there are workers, hello still answers at once."""
    from imapkey.server import MAX_WORKERS

    pipe, replies, _ = served
    for i in range(MAX_WORKERS + 4):
        pipe.writer.write(frame({"v": 1, "id": f"s{i}", "type": "slow"}))
    pipe.writer.write(frame({"v": 1, "id": "h", "type": "hello"}))
    assert [r["id"] for r in replies.wait_for(1)] == ["h"]
