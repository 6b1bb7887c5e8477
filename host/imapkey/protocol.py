"""Protocol v1: the request envelope and the two reply shapes (see docs/PROTOCOL.md).

Only the envelope lives here; each operation's own parameters and result are modelled in its
module under ``imapkey.ops`` and imported only when that operation is asked for.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from imapkey import errors

PROTOCOL_VERSION: Final = 1
MAX_ID_LENGTH = 64


class Envelope(BaseModel):
    """What every request carries; the operation's own fields ride alongside."""

    model_config = ConfigDict(extra="allow", strict=True)

    v: int
    id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    type: str

    def params(self) -> dict[str, Any]:
        """The fields beyond the envelope, for the operation's own model."""
        return dict(self.__pydantic_extra__ or {})


class ErrorBody(BaseModel):
    # Built at first use: a host that only answers successfully never pays for it.
    model_config = ConfigDict(defer_build=True)

    code: str
    message: str
    hint: str = ""


class OkReply(BaseModel):
    v: Literal[1] = PROTOCOL_VERSION
    id: str
    ok: Literal[True] = True
    result: dict[str, Any]


class ErrorReply(BaseModel):
    model_config = ConfigDict(defer_build=True)

    v: Literal[1] = PROTOCOL_VERSION
    id: str | None
    ok: Literal[False] = False
    error: ErrorBody


def request_id(message: object) -> str | None:
    """The request's id if it is a usable one, so even a rejected request can be correlated."""
    if isinstance(message, dict):
        rid = message.get("id")
        if isinstance(rid, str) and 0 < len(rid) <= MAX_ID_LENGTH:
            return rid
    return None


def parse_envelope(message: object) -> Envelope:
    """Validate the envelope; raises ProtocolError with the code the protocol names."""
    if not isinstance(message, dict):
        raise errors.ProtocolError(
            "A request must be a JSON object.",
            'Send {"v": 1, "id": "...", "type": "..."}.',
            code=errors.INVALID_REQUEST,
        )
    version = message.get("v")
    if isinstance(version, int) and not isinstance(version, bool) and version != PROTOCOL_VERSION:
        raise errors.ProtocolError(
            f"Protocol version {version} is not supported; this host speaks version "
            f"{PROTOCOL_VERSION}.",
            "Update imapkey so the extension and the host speak the same protocol.",
            code=errors.UNSUPPORTED_VERSION,
        )
    try:
        return Envelope.model_validate(message)
    except ValidationError as exc:
        raise errors.ProtocolError(
            "The request's envelope is invalid: " + describe(exc),
            f'Every request needs "v": {PROTOCOL_VERSION}, an "id" string of 1 to '
            f'{MAX_ID_LENGTH} characters and a "type" string.',
            code=errors.INVALID_REQUEST,
        ) from None


def describe(exc: ValidationError) -> str:
    """A short account of what failed validation: field names and reasons, never the values."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "request"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def ok_reply(rid: str, result: dict[str, Any]) -> dict[str, Any]:
    return OkReply(id=rid, result=result).model_dump(mode="json")


def error_reply(rid: str | None, code: str, message: str, hint: str = "") -> dict[str, Any]:
    body = ErrorBody(code=code, message=message, hint=hint)
    return ErrorReply(id=rid, error=body).model_dump(mode="json")
