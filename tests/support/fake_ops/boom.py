"""A test-only operation that fails unexpectedly with a secret in its message."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from imapkey.ops import Context

CANARY = "canary-SECRET-8731"


class Params(BaseModel):
    pass


def run(params: Params, ctx: Context) -> dict[str, Any]:
    raise RuntimeError(f"password was {CANARY}")
