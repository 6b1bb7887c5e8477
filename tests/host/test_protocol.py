"""Protocol v1 envelope: each malformed request maps to its stable code."""

from __future__ import annotations

import pytest

from imapkey import errors
from imapkey.protocol import error_reply, ok_reply, parse_envelope, request_id


def test_valid_envelope_keeps_operation_fields() -> None:
    """The envelope parses and passes the operation's own fields along."""
    env = parse_envelope({"v": 1, "id": "a", "type": "check", "email": "x@y"})
    assert (env.v, env.id, env.type) == (1, "a", "check")
    assert env.params() == {"email": "x@y"}


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ([1, 2], errors.INVALID_REQUEST),
        ("hello", errors.INVALID_REQUEST),
        ({"id": "a", "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": "1", "id": "a", "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": True, "id": "a", "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": 2, "id": "a", "type": "hello"}, errors.UNSUPPORTED_VERSION),
        ({"v": 0, "id": "a", "type": "hello"}, errors.UNSUPPORTED_VERSION),
        ({"v": 1, "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": 1, "id": 7, "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": 1, "id": "", "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": 1, "id": "x" * 65, "type": "hello"}, errors.INVALID_REQUEST),
        ({"v": 1, "id": "a"}, errors.INVALID_REQUEST),
        ({"v": 1, "id": "a", "type": 5}, errors.INVALID_REQUEST),
    ],
)
def test_bad_envelopes_get_their_code(message: object, code: str) -> None:
    """Each malformed envelope raises a ProtocolError with the documented code."""
    with pytest.raises(errors.ProtocolError) as info:
        parse_envelope(message)
    assert info.value.code == code
    assert info.value.message
    assert info.value.hint


def test_request_id_only_when_usable() -> None:
    """A reply echoes the id only when it is a 1-64 character string."""
    assert request_id({"id": "x" * 64}) == "x" * 64
    assert request_id({"id": "x" * 65}) is None
    assert request_id({"id": 3}) is None
    assert request_id([]) is None


def test_reply_shapes() -> None:
    """Success and error replies have exactly the documented fields."""
    assert ok_reply("a", {"k": 1}) == {"v": 1, "id": "a", "ok": True, "result": {"k": 1}}
    assert error_reply(None, "bad_json", "m", "h") == {
        "v": 1,
        "id": None,
        "ok": False,
        "error": {"code": "bad_json", "message": "m", "hint": "h"},
    }
