"""Serving one native-messaging port.

One reader (this thread) takes frames off stdin; each request runs on a worker thread of one
of two lanes — quick operations (``ops.QUICK_OPS``) and those that may wait on the network —
so even a full lane of slow IMAP checks never holds up a ``hello`` or a ``list``; replies
carry their request's id, may come out of order, and are written whole by one writer. On EOF
in-flight work is cancelled and given a short grace period, then the process exits 0.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any, BinaryIO

from pydantic import ValidationError

from imapkey import errors
from imapkey.framing import (
    BadJson,
    FrameTooLarge,
    FrameWriter,
    decode_body,
    encode_frame,
    read_frame,
)
from imapkey.ops import OPS, QUICK_OPS, Context
from imapkey.protocol import Envelope, describe, error_reply, ok_reply, parse_envelope, request_id

log = logging.getLogger("imapkey.host")

MAX_WORKERS = 16  # network lane
QUICK_WORKERS = 4
SHUTDOWN_GRACE = 1.5  # seconds after EOF for in-flight work, inside the 2 s the browser allows


class Host:
    """Serves one port: reads requests, runs them concurrently, writes each reply once."""

    def __init__(self, out: BinaryIO, caller: str) -> None:
        self._writer = FrameWriter(out)
        self._ctx = Context(caller=caller)
        self._pool = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="op")
        self._quick = ThreadPoolExecutor(max_workers=QUICK_WORKERS, thread_name_prefix="quick")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def send(self, reply: dict[str, Any]) -> None:
        try:
            frame = encode_frame(reply)
        except ValueError:
            frame = encode_frame(
                error_reply(
                    reply.get("id"),
                    errors.REPLY_TOO_LARGE,
                    "The answer is larger than a browser accepts from a native host (1 MiB).",
                    "Ask for less at once, or use the imapkey command line.",
                )
            )
        self._writer.write(frame)

    def send_error(self, rid: str | None, exc: errors.ImapkeyError) -> None:
        self.send(error_reply(rid, exc.code, exc.message, exc.hint))
        log.info("request %s from %s refused: %s", rid, self._ctx.caller, exc.code)

    def serve(self, inp: BinaryIO) -> int:
        """Read frames until EOF (or an oversized frame); then wind down."""
        while True:
            try:
                body = read_frame(inp)
            except FrameTooLarge as exc:
                self.send_error(
                    None,
                    errors.ProtocolError(
                        f"A message of {exc.length} bytes is larger than the 1 MiB this host "
                        "accepts; the connection is closed.",
                        "Send smaller requests.",
                        code=errors.MESSAGE_TOO_LARGE,
                    ),
                )
                break
            if body is None:
                break
            self._accept(body)
        return self._wind_down()

    def _accept(self, body: bytes) -> None:
        try:
            message = decode_body(body)
        except BadJson as exc:
            self.send_error(
                None,
                errors.ProtocolError(
                    f"The message is not valid UTF-8 JSON ({exc}).",
                    "Send one JSON object per message.",
                    code=errors.BAD_JSON,
                ),
            )
            return
        rid = request_id(message)
        try:
            envelope = parse_envelope(message)
            module = _op_module_name(envelope.type)
        except errors.ImapkeyError as exc:
            self.send_error(rid, exc)
            return
        lane = self._quick if envelope.type in QUICK_OPS else self._pool
        future = lane.submit(self._run, envelope, module)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _run(self, envelope: Envelope, module_name: str) -> None:
        started = time.monotonic()
        try:
            result = run_op(module_name, envelope.params(), self._ctx)
        except errors.ImapkeyError as exc:
            self.send_error(envelope.id, exc)
            return
        except Exception as exc:
            log_unexpected(exc, f"{envelope.type} {envelope.id}")
            self.send_error(envelope.id, _internal())
            return
        self.send(ok_reply(envelope.id, result))
        # Logged after the reply: the first record opens the log file, off the critical path.
        log.info(
            "%s %s from %s ok in %.0f ms",
            envelope.type,
            envelope.id,
            self._ctx.caller,
            (time.monotonic() - started) * 1000,
        )

    def _wind_down(self) -> int:
        self._ctx.cancelled.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._quick.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=SHUTDOWN_GRACE)
        return 0


def _op_module_name(op_type: str) -> str:
    try:
        return OPS[op_type]
    except KeyError:
        raise errors.ProtocolError(
            f"Unknown request type {op_type[:40]!r}.",
            "This host serves: " + ", ".join(sorted(OPS)) + ".",
            code=errors.UNKNOWN_TYPE,
        ) from None


def run_op(module_name: str, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Validate the operation's own fields with its model and run it."""
    module = importlib.import_module(module_name)
    try:
        parsed = module.Params.model_validate(params)
    except ValidationError as exc:
        raise errors.ProtocolError(
            "The request's fields are invalid: " + describe(exc),
            "See docs/PROTOCOL.md for this request's fields.",
            code=errors.INVALID_REQUEST,
        ) from None
    result: dict[str, Any] = module.run(parsed, ctx)
    return result


def _internal() -> errors.ImapkeyError:
    return errors.ImapkeyError(
        "Something went wrong inside imapkey.",
        "Details are in imapkey's log; please report it.",
        code=errors.INTERNAL_ERROR,
    )


def log_unexpected(exc: BaseException, what: str) -> None:
    """Log where an unexpected error happened, never its text: it may quote a secret."""
    from imapkey.logsetup import Verbatim

    frames = Verbatim("".join(traceback.format_tb(exc.__traceback__)))
    log.error("unexpected %s in %s\n%s", type(exc).__name__, what, frames)


def deny(out: BinaryIO) -> None:
    """The one reply a foreign caller gets."""
    FrameWriter(out).write(
        encode_frame(
            error_reply(
                None,
                errors.ORIGIN_DENIED,
                "This native host serves only the imapkey extension.",
                "Install the imapkey extension. For a build of your own, allow its id with "
                "imapkey install --extension-id ID.",
            )
        )
    )
