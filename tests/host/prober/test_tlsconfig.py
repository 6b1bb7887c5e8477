"""CA files: only a bounded regular file is read, without blocking, and errors reveal nothing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from imapkey.errors import ImapkeyError
from imapkey.prober import tlsconfig
from support.certs import CertSet


def _refusal(path: str) -> str:
    with pytest.raises(ImapkeyError) as raised:
        tlsconfig.context(path)
    assert raised.value.code == "invalid_request"
    return raised.value.message.replace(repr(path), "PATH")


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO at the CA path (no writer) is refused immediately instead of blocking a worker."""
    fifo = tmp_path / "ca.pem"
    os.mkfifo(fifo)
    answered = threading.Event()

    def attempt() -> None:
        _refusal(str(fifo))
        answered.set()

    threading.Thread(target=attempt, daemon=True).start()
    assert answered.wait(2)


def test_every_unusable_path_gets_the_same_answer(tmp_path: Path) -> None:
    """Missing, a folder, a device, too large, not PEM: one message, so nothing is learnt."""
    big = tmp_path / "big.pem"
    big.write_bytes(b"x" * (tlsconfig.MAX_CA_FILE + 1))
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    paths = [str(tmp_path / "missing.pem"), str(tmp_path), "/dev/zero", str(big), str(junk)]
    assert len({_refusal(p) for p in paths}) == 1


def test_a_good_ca_file_is_trusted(good_certs: CertSet) -> None:
    """A real PEM CA file loads: its CA is among the context's trusted certificates."""
    ctx = tlsconfig.context(str(good_certs.ca_file))
    subjects = [str(c.get("subject")) for c in ctx.get_ca_certs()]
    assert any("trustme" in s for s in subjects)
