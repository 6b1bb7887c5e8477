"""Test certificates from trustme: a CA the prober is told to trust, and bad ones."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass
class CertSet:
    """PEM files for one server: a certificate chain and its key, and the CA to trust."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def issue(
    folder: Path,
    name: str,
    ca: trustme.CA,
    hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1"),
    *,
    expired: bool = False,
) -> CertSet:
    """Write a server certificate for ``hosts`` issued by ``ca`` (optionally long expired)."""
    folder.mkdir(parents=True, exist_ok=True)
    kwargs = {}
    if expired:
        kwargs["not_after"] = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        kwargs["not_before"] = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    cert = ca.issue_cert(*hosts, **kwargs)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
    cert.private_key_pem.write_to_path(str(key_file))
    cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    return CertSet(ca_file, cert_file, key_file)
