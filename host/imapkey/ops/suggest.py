"""``suggest``: the IMAP settings for an address, from its provider or its MX records."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from imapkey.ops import Context
from imapkey.prober.models import Email
from imapkey.prober.providers import suggest


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email


def run(params: Params, ctx: Context) -> dict[str, Any]:
    found = suggest(params.email)
    provider = found.provider
    return {
        "provider": provider.id if provider else None,
        "name": provider.name if provider else None,
        "server": {"host": found.host, "port": found.port, "security": found.security},
        "source": found.source,
        "accepts_app_passwords": provider.accepts_app_passwords if provider else True,
        "app_password_link": provider.app_password_link if provider else None,
        "notes": list(found.notes),
    }
