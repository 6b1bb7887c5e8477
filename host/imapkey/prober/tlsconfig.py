"""TLS that always verifies: the system's trust store plus, at most, extra CAs the user names.

There is deliberately no switch to skip verification: a password is only ever sent to a
server that proved its name.
"""

from __future__ import annotations

import os
import ssl
import stat

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.prober import outcomes as o

CA_FILE_ENV = "IMAPKEY_CA_FILE"
MAX_CA_FILE = 1024 * 1024  # a bundle of every public CA is about 200 KiB

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
        if extra:
            pem = read_ca_file(extra)
            try:
                ctx.load_verify_locations(cadata=pem)
            except (ssl.SSLError, ValueError):
                raise unusable_ca_file(extra) from None
    return ctx


def read_ca_file(path: str) -> str:
    """The text of a CA file, if it is a regular file of at most MAX_CA_FILE bytes.

    Opened without blocking and checked on the open descriptor: a FIFO or a device at that
    path would otherwise hold a worker forever. Every failure gives the same answer, so the
    error cannot be used to learn which other files exist.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        raise unusable_ca_file(path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CA_FILE:
            raise unusable_ca_file(path)
        data = os.read(fd, MAX_CA_FILE + 1)
    except OSError:
        raise unusable_ca_file(path) from None
    finally:
        os.close(fd)
    if len(data) > MAX_CA_FILE:
        raise unusable_ca_file(path)
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        raise unusable_ca_file(path) from None


def unusable_ca_file(path: str) -> ImapkeyError:
    return ImapkeyError(
        f"The CA file {path!r} cannot be used.",
        "Give the path of a readable PEM file (at most 1 MiB) with the server's CA certificate.",
        code=INVALID_REQUEST,
    )


def certificate_outcome(exc: ssl.SSLCertVerificationError) -> str:
    code = exc.verify_code
    if code in (_X509_V_ERR_CERT_HAS_EXPIRED, _X509_V_ERR_CERT_NOT_YET_VALID):
        return o.CERT_EXPIRED
    if code in (_X509_V_ERR_HOSTNAME_MISMATCH, _X509_V_ERR_IP_ADDRESS_MISMATCH):
        return o.CERT_HOSTNAME_MISMATCH
    return o.CERT_UNTRUSTED
