"""``save``: check, then store in the keyring; over an existing account, a safe rotation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool

from imapkey.ops import Context, refuse_browser_ca_file
from imapkey.prober import DEFAULT_TIMEOUT
from imapkey.prober.models import Email, ServerSettings
from imapkey.vault import accounts


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: SecretStr
    server: ServerSettings | None = None
    verify: bool = True
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, le=120)
    smtp: StrictBool | ServerSettings = False


def run(params: Params, ctx: Context) -> dict[str, Any]:
    refuse_browser_ca_file(params.server, ctx)
    if isinstance(params.smtp, ServerSettings):
        refuse_browser_ca_file(params.smtp, ctx)
    return accounts.save(
        params.email,
        params.password,
        params.server,
        params.verify,
        params.timeout,
        ctx.cancelled,
        smtp=params.smtp,
    )
