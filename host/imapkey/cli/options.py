"""Options and inputs several commands share: server flags, the password."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import SecretStr

    from imapkey.prober.models import ServerSettings

DEFAULT_PORTS = {"tls": 993, "starttls": 143}


def add_server_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="IMAP server (default: from the address's provider)")
    parser.add_argument("--port", type=int, help="port (default: 993 for tls, 143 for starttls)")
    parser.add_argument(
        "--security", choices=("tls", "starttls"), help="tls (SSL/TLS, 993) or starttls (143)"
    )
    parser.add_argument(
        "--ca-file", metavar="FILE", help="also trust this CA bundle (a private server's CA)"
    )


def server_from_flags(args: argparse.Namespace) -> ServerSettings | None:
    """Settings from --host/--port/--security, or None to use the provider's."""
    from imapkey.prober.models import ServerSettings

    if args.host is None and args.port is None and args.security is None and args.ca_file is None:
        return None
    if args.host is None:
        from imapkey.prober.providers import suggest

        found = suggest(args.email)
        host, port, security = found.host, found.port, found.security
    else:
        host, port, security = args.host, 993, "tls"
    if args.security is not None:
        security = args.security
        port = DEFAULT_PORTS[security]
    if args.port is not None:
        port = args.port
        if args.security is None:
            security = "starttls" if port == 143 else "tls"
    return ServerSettings(host=host, port=port, security=security, ca_file=args.ca_file)


def read_password(from_stdin: bool, prompt: str) -> SecretStr:
    from pydantic import SecretStr

    if from_stdin:
        line = sys.stdin.readline()
        return SecretStr(line.removesuffix("\n").removesuffix("\r"))
    import getpass

    return SecretStr(getpass.getpass(prompt))
