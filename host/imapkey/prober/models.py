"""What a check takes and gives, as protocol models (docs/PROTOCOL.md, ``check``)."""

from __future__ import annotations

import ipaddress
import os
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Security = Literal["tls", "starttls"]

# Characters that make an address a command or a config directive once it is written into a
# mail client's configuration (docs/SECURITY.md, snippets): quotes and backticks, and the
# backslash that escapes them. Control and format characters are refused separately.
EMAIL_FORBIDDEN = "\"'`\\"
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _unprintable(value: str) -> str | None:
    """The first control, format or separator character in ``value`` (other than a space)."""
    for char in value:
        category = unicodedata.category(char)
        if category[0] == "C" or (category[0] == "Z" and char != " "):
            return f"U+{ord(char):04X}"
    return None


def check_email(value: str) -> str:
    """An address safe to write into any configuration: no control characters, quotes or
    backticks (the shape ``local@domain`` is checked by the pattern)."""
    bad = _unprintable(value)
    if bad:
        raise ValueError(f"the address contains a control character ({bad})")
    quoted = sorted({c for c in value if c in EMAIL_FORBIDDEN})
    if quoted:
        raise ValueError(f"the address may not contain {' '.join(quoted)}")
    return value


def check_host(value: str) -> str:
    """A host that is a DNS name (letters, digits, hyphens; IDNs in their xn-- form) or an IP
    address literal: nothing a configuration file or a URL could read as syntax."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is not None:
        if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
            raise ValueError("an IPv6 address with a zone (%...) is not supported")
        return value
    name = value[:-1] if value.endswith(".") else value
    if name and len(name) <= 253 and all(_LABEL.match(label) for label in name.split(".")):
        return value
    hint = ""
    try:
        ascii_name = name.encode("idna").decode("ascii")
        if ascii_name != name and all(_LABEL.match(label) for label in ascii_name.split(".")):
            hint = f" (write it as {ascii_name})"
    except UnicodeError:
        pass
    raise ValueError(f"the server must be a host name or an IP address{hint}")


def check_ca_file(value: str | None) -> str | None:
    """An absolute path without control characters: it is written into mail clients'
    configurations as it stands."""
    if value is None:
        return None
    bad = _unprintable(value)
    if bad:
        raise ValueError(f"the CA file path contains a control character ({bad})")
    if not os.path.isabs(value):
        raise ValueError("the CA file must be given as an absolute path")
    return value


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$"),
    AfterValidator(check_email),
]
Host = Annotated[str, Field(min_length=1, max_length=253), AfterValidator(check_host)]
CaFile = Annotated[str | None, AfterValidator(check_ca_file)]


class ServerSettings(BaseModel):
    """Where to check: host, port, connection security, and an extra CA bundle if any."""

    model_config = ConfigDict(extra="forbid")

    host: Host
    port: int = Field(ge=1, le=65535)
    security: Security
    ca_file: CaFile = None


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
