"""What a check takes and gives, as protocol models (docs/PROTOCOL.md, ``check``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Security = Literal["tls", "starttls"]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
]


class ServerSettings(BaseModel):
    """Where to check: host, port, connection security, and an extra CA bundle if any."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=253)
    port: int = Field(ge=1, le=65535)
    security: Security
    ca_file: str | None = None


class Stage(BaseModel):
    """One step of the ladder: its name, whether it worked, how long it took, what it saw."""

    name: str
    ok: bool
    ms: float
    detail: str = ""


class CheckResult(BaseModel):
    ok: bool
    outcome: str
    message: str
    hint: str
    link: str | None = None
    server_text: str | None = None
    warnings: list[str] = Field(default_factory=list)
    email: Email
    provider: str | None = None
    server: ServerSettings
    stages: list[Stage]
    elapsed_ms: float
