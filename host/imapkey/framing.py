"""Native-messaging frames: a 32-bit native-endian length, then that many bytes of UTF-8 JSON.

Outgoing frames are encoded by ``nativemessaging.encode_message``. The reader is our own: the
package's reader exits the process on EOF, reads only ``sys.stdin``, has no size cap and no
check for a short read. Ours caps what it accepts *before* reading the body, so a caller
cannot make the host allocate whatever a header claims.
"""

from __future__ import annotations

import json
import struct
import threading
from typing import Any, BinaryIO

import nativemessaging

MAX_FRAME = 1024 * 1024  # bytes, both directions (Chrome's and Firefox's host→browser limit)

_HEADER = struct.Struct("=I")  # native byte order, standard size: exactly 4 bytes


class FrameTooLarge(Exception):
    """The header announced more than MAX_FRAME; the stream cannot be resynchronised."""

    def __init__(self, length: int) -> None:
        super().__init__(f"frame of {length} bytes exceeds {MAX_FRAME}")
        self.length = length


class BadJson(Exception):
    """A whole frame arrived, but it is not UTF-8 JSON. The next frame is still readable."""


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads; fewer only at EOF."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame's body, or None at EOF (clean, or mid-frame: a truncated frame ends it).

    Raises FrameTooLarge without reading the body.
    """
    header = _read_exact(stream, _HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_FRAME:
        raise FrameTooLarge(length)
    body = _read_exact(stream, length)
    if len(body) < length:
        return None
    return body


def decode_body(body: bytes) -> Any:
    """Parse a frame body; raises BadJson for invalid UTF-8 or JSON (including empty frames),
    and for nesting too deep to parse (which would otherwise end the reader thread)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadJson(type(exc).__name__) from None
    except RecursionError:
        raise BadJson("nested too deeply") from None


def encode_frame(message: dict[str, Any]) -> bytes:
    """One whole frame for ``message``; raises ValueError if it would exceed MAX_FRAME."""
    encoded = nativemessaging.encode_message(message)
    content: bytes = encoded["content"]
    if len(content) > MAX_FRAME:
        raise ValueError(f"reply of {len(content)} bytes exceeds {MAX_FRAME}")
    header: bytes = encoded["length"]
    return header + content


class FrameWriter:
    """Writes whole frames from any thread: one lock, one write, one flush per frame."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, frame: bytes) -> None:
        with self._lock:
            self._stream.write(frame)
            self._stream.flush()
