"""Scripted IMAP servers for the command-line tests, closed after each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from support.certs import CertSet, issue
from support.scripted import Handler, ScriptedServer


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> CertSet:
    return issue(tmp_path_factory.mktemp("cli-certs"), "scripted", ca)


@pytest.fixture
def scripted(certs: CertSet) -> Iterator[Callable[[Handler], ScriptedServer]]:
    """Start a TLS scripted server for a handler; every one is closed after the test."""
    started: list[ScriptedServer] = []

    def start(handler: Handler) -> ScriptedServer:
        server = ScriptedServer(handler, certs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def log_text(env: dict[str, str]) -> Callable[[], str]:
    """Everything imapkey logged in this test's private state folder."""

    def read() -> str:
        return "".join(p.read_text() for p in Path(env["XDG_STATE_HOME"]).rglob("*.log"))

    return read
