"""``delete``: remove a saved account from the keyring and the index."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from imapkey.ops import Context
from imapkey.prober.models import Email
from imapkey.vault import accounts


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    host: str | None = Field(default=None, min_length=1, max_length=253)


def run(params: Params, ctx: Context) -> dict[str, Any]:
    return accounts.delete(params.email, params.host)
