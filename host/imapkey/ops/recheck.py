"""``recheck``: check one saved account, or all, with the stored secrets."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from imapkey.ops import Context
from imapkey.prober import DEFAULT_TIMEOUT
from imapkey.prober.models import Email
from imapkey.vault import accounts


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email | None = None
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, le=120)


def run(params: Params, ctx: Context) -> dict[str, Any]:
    return accounts.recheck(params.email, timeout=params.timeout, cancelled=ctx.cancelled)
