"""``list``: every saved account with when it last worked; never a secret."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from imapkey.ops import Context
from imapkey.vault import accounts


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # false: answer from the index alone, without asking (or importing) the keyring
    secrets: bool = True


def run(params: Params, ctx: Context) -> dict[str, Any]:
    return accounts.list_accounts(with_secrets=params.secrets)
