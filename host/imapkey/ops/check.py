"""``check``: try the credentials against the real server and say exactly how it went.

Without a password, the saved account's stored secret is used (and its result recorded).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

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
        from imapkey.vault import accounts

        stored = accounts.check_stored(
            params.email, params.server, params.timeout, params.force, ctx.cancelled
        )
        return stored.model_dump(mode="json")
    request = check.CheckRequest(
        email=params.email,
        password=params.password,
        server=params.server,
        timeout=params.timeout,
        force=params.force,
    )
    return check.run(request, ctx.cancelled).model_dump(mode="json")
