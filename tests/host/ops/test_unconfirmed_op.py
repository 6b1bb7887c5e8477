"""The host refuses to send a password to a server that is only a guess (security finding 4):
check and save without a server answer server_unconfirmed, and nothing connects to the guess."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.guessnet import DOMAIN, GuessNet, guess_net
from support.hostproc import HostProcess, chromium_args


@pytest.fixture
def net(tmp_path: Path) -> Iterator[GuessNet]:
    with guess_net(tmp_path) as net:
        yield net


@pytest.mark.parametrize("op", ["check", "save"])
def test_no_password_goes_to_a_guess(op: str, env: dict[str, str], net: GuessNet) -> None:
    """A password-carrying request without a server, for a domain whose look-ups fail, is
    refused with server_unconfirmed; the trap at imap.<domain> sees no connection."""
    proc = HostProcess(chromium_args(), dict(env, **net.env))
    try:
        reply = proc.request(
            {"v": 1, "id": "g", "type": op, "email": f"me@{DOMAIN}", "password": "abcdefghijklmnop"}
        )
    finally:
        proc.close(timeout=10)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "server_unconfirmed"
    assert "only a guess" in reply["error"]["message"]
    time.sleep(0.2)
    assert net.guess.connections == []


def test_suggest_marks_the_guess(env: dict[str, str], net: GuessNet) -> None:
    """suggest answers the guess with confirm: true, so the popup asks before sending."""
    proc = HostProcess(chromium_args(), dict(env, **net.env))
    try:
        reply = proc.request({"v": 1, "id": "s", "type": "suggest", "email": f"me@{DOMAIN}"})
    finally:
        proc.close(timeout=10)
    result = reply["result"]
    assert (result["source"], result["confirm"]) == ("guess", True)
    assert result["server"]["host"] == f"imap.{DOMAIN}"
