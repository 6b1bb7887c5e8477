"""Framing: frames are read whole, capped before reading, and bad bytes never crash the reader."""

from __future__ import annotations

import contextlib
import io
import json
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imapkey.framing import (
    MAX_FRAME,
    BadJson,
    FrameTooLarge,
    decode_body,
    encode_frame,
    read_frame,
)


def _frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


class _Trickle(io.RawIOBase):
    """A stream that returns one byte per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(1 if size else 0)


def test_reads_one_frame_then_eof() -> None:
    """A whole frame is returned and a clean EOF after it gives None."""
    stream = io.BytesIO(_frame(b'{"a": 1}'))
    assert read_frame(stream) == b'{"a": 1}'
    assert read_frame(stream) is None


def test_short_reads_are_reassembled() -> None:
    """A pipe delivering a byte at a time still yields the whole frame."""
    assert read_frame(_Trickle(_frame(b'{"x": "y"}'))) == b'{"x": "y"}'  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", b"\x05", b"\x05\x00\x00"])
def test_short_header_is_eof(data: bytes) -> None:
    """Fewer than four header bytes before EOF ends the stream quietly."""
    assert read_frame(io.BytesIO(data)) is None


def test_truncated_body_is_eof() -> None:
    """A header promising more than arrives before EOF ends the stream quietly."""
    assert read_frame(io.BytesIO(struct.pack("=I", 10) + b"abc")) is None


def test_wrong_length_misaligns_into_bad_json() -> None:
    """A header claiming fewer bytes than sent yields a body that is not JSON."""
    body = b'{"v": 1}'
    stream = io.BytesIO(struct.pack("=I", 3) + body)
    with pytest.raises(BadJson):
        decode_body(read_frame(stream) or b"")


def test_zero_length_frame_is_bad_json() -> None:
    """An empty frame is read, and refused as JSON, leaving the stream aligned."""
    stream = io.BytesIO(_frame(b"") + _frame(b"{}"))
    body = read_frame(stream)
    assert body == b""
    with pytest.raises(BadJson):
        decode_body(body)
    assert read_frame(stream) == b"{}"


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b"{not json", b"[1, 2"])
def test_invalid_utf8_or_json_is_bad_json(body: bytes) -> None:
    """Invalid UTF-8 and invalid JSON both raise BadJson."""
    with pytest.raises(BadJson):
        decode_body(body)


def test_json_that_is_not_an_object_decodes() -> None:
    """Framing only parses JSON; a non-object is the protocol layer's to refuse."""
    assert decode_body(b"[1, 2]") == [1, 2]


def test_exactly_max_frame_is_accepted() -> None:
    """A frame of exactly 1 MiB is read."""
    body = b'"' + b"a" * (MAX_FRAME - 2) + b'"'
    assert read_frame(io.BytesIO(_frame(body))) == body


def test_over_max_frame_is_refused_unread() -> None:
    """A header announcing 1 MiB + 1 raises before any body byte is read."""
    stream = io.BytesIO(struct.pack("=I", MAX_FRAME + 1) + b"x" * 10)
    with pytest.raises(FrameTooLarge) as info:
        read_frame(stream)
    assert info.value.length == MAX_FRAME + 1
    assert stream.tell() == 4


def test_encode_frame_roundtrips() -> None:
    """What encode_frame writes, read_frame reads back."""
    message = {"v": 1, "id": "é", "ok": True, "result": {}}
    assert json.loads(read_frame(io.BytesIO(encode_frame(message))) or b"") == message


def test_encode_frame_refuses_oversized_reply() -> None:
    """A reply over 1 MiB is never written."""
    with pytest.raises(ValueError, match="exceeds"):
        encode_frame({"blob": "a" * MAX_FRAME})


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash_the_reader(data: bytes) -> None:
    """Any byte stream ends in frames, BadJson, FrameTooLarge or EOF — nothing else."""
    stream = io.BytesIO(data)
    while True:
        try:
            body = read_frame(stream)
        except FrameTooLarge:
            return
        if body is None:
            return
        with contextlib.suppress(BadJson):
            decode_body(body)
