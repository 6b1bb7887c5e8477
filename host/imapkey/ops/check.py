"""``check``: try the credentials against the real server and say exactly how it went."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.ops import Context
from imapkey.prober import check
from imapkey.prober.models import DEFAULT_TIMEOUT, Email, ServerSettings


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: SecretStr | None = None
    server: ServerSettings | None = None
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, le=120)
    force: bool = False


def run(params: Params, ctx: Context) -> dict[str, Any]:
    if params.password is None:
        raise ImapkeyError(
            "No password was given to check.",
            "Send the password with the request.",
            code=INVALID_REQUEST,
        )
    request = check.CheckRequest(
        email=params.email,
        password=params.password,
        server=params.server,
        timeout=params.timeout,
        force=params.force,
    )
    return check.run(request, ctx.cancelled).model_dump(mode="json")
