"""TLS that always verifies: the system's trust store plus, at most, extra CAs the user names.

There is deliberately no switch to skip verification: a password is only ever sent to a
server that proved its name.
"""

from __future__ import annotations

import os
import ssl

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.prober import outcomes as o

CA_FILE_ENV = "IMAPKEY_CA_FILE"

# OpenSSL verify codes (x509_vfy.h) that have an outcome of their own.
_X509_V_ERR_CERT_HAS_EXPIRED = 10
_X509_V_ERR_CERT_NOT_YET_VALID = 9
_X509_V_ERR_HOSTNAME_MISMATCH = 62
_X509_V_ERR_IP_ADDRESS_MISMATCH = 64


def context(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying client context; ``ca_file`` and $IMAPKEY_CA_FILE add trusted CAs."""
    ctx = ssl.create_default_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    for extra in (ca_file, os.environ.get(CA_FILE_ENV)):
        if not extra:
            continue
        try:
            ctx.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as exc:
            raise ImapkeyError(
                f"The CA file {extra!r} cannot be used: {type(exc).__name__}.",
                "Give the path of a PEM file with the server's CA certificate.",
                code=INVALID_REQUEST,
            ) from None
    return ctx


def certificate_outcome(exc: ssl.SSLCertVerificationError) -> str:
    code = exc.verify_code
    if code in (_X509_V_ERR_CERT_HAS_EXPIRED, _X509_V_ERR_CERT_NOT_YET_VALID):
        return o.CERT_EXPIRED
    if code in (_X509_V_ERR_HOSTNAME_MISMATCH, _X509_V_ERR_IP_ADDRESS_MISMATCH):
        return o.CERT_HOSTNAME_MISMATCH
    return o.CERT_UNTRUSTED
