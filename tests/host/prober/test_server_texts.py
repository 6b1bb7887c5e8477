"""Every real server text in tests/data/server_texts.jsonl, replayed through a scripted server
and the real prober, must come out as the outcome its row names (see tests/data/README.md)."""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from pydantic import SecretStr

from imapkey.prober import outcomes
from imapkey.prober.check import CheckRequest, run
from imapkey.prober.models import ServerSettings
from support.certs import CertSet, issue
from support.scripted import ScriptedServer, imap

CORPUS = Path(__file__).parents[2] / "data" / "server_texts.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in CORPUS.read_text().splitlines()]
APP_PASSWORD = "qwer tyui opas dfgh"  # not "abcd…": one quoted token contains that
KINDS = {"greeting", "refusal", "after_login"}
FIELDS = {
    "id",
    "provider",
    "product",
    "source",
    "kind",
    "security",
    "email",
    "greeting",
    "capabilities",
    "after_tls_capabilities",
    "quoted_tag",
    "examine_tag",
    "login",
    "authenticate",
    "examine",
    "password",
    "outcome",
    "sent",
    "not_sent",
    "hint_has",
    "hint_lacks",
    "reconstructed",
    "note",
}


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> CertSet:
    return issue(tmp_path_factory.mktemp("corpus-certs"), "corpus", ca)


@pytest.fixture
def servers() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.close()


def scripted(lines: list[str], quoted_tag: str | None) -> tuple[str, ...]:
    """The quoted lines as the scripted server's templates: the quoted tag becomes ``{tag}``."""
    out = []
    for line in lines:
        if line.startswith("{tag} "):
            out.append("{tag} " + line[6:].replace("{", "{{").replace("}", "}}"))
            continue
        escaped = line.replace("{", "{{").replace("}", "}}")
        if quoted_tag and line.startswith(quoted_tag + " "):
            escaped = "{tag}" + escaped[len(quoted_tag) :]
        out.append(escaped)
    return tuple(out)


def words(line: str) -> str:
    """A quoted line without its tag: what must reach the user verbatim."""
    return line.split(" ", 1)[1] if " " in line else line


def test_corpus_shape() -> None:
    """At least 40 rows from at least 8 providers or products, greetings as well as refusals,
    each with a public source, known fields and a known outcome."""
    assert len(ROWS) >= 40
    assert len({r["provider"] for r in ROWS}) >= 8
    assert len({r["product"] for r in ROWS}) >= 8
    assert {r["kind"] for r in ROWS} == KINDS
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    for row in ROWS:
        assert set(row) <= FIELDS, row["id"]
        assert re.match(r"^https://\S+$", row["source"]), row["id"]
        assert row["outcome"] in outcomes.OUTCOMES, row["id"]
        assert row["kind"] in KINDS, row["id"]
        quoted = [*row.get("login", []), *row.get("authenticate", []), *row.get("examine", [])]
        if any(line.startswith("{tag}") for line in quoted):
            assert row.get("reconstructed"), f"{row['id']}: a rebuilt tag must be marked"
        if row["kind"] == "greeting":
            assert row.get("greeting"), row["id"]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_real_text_is_named_right(
    row: dict[str, Any], servers: list[ScriptedServer], certs: CertSet
) -> None:
    """The row's lines, served as a real server would, lead the real prober to its outcome,
    with the server's own words passed on."""
    caps = row.get("capabilities") or "IMAP4rev1"
    greeting = row.get("greeting") or (
        f"* OK [CAPABILITY {caps}] ready" if row.get("capabilities") else "* OK ready"
    )
    starttls = row.get("security") == "starttls"

    def tls() -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certs.cert_file, certs.key_file)
        return ctx

    login = scripted(row.get("login") or ["{tag} OK LOGIN completed."], row.get("quoted_tag"))
    authenticate = row.get("authenticate")
    options: dict[str, Any] = {}
    if row.get("examine"):
        options["examine"] = scripted(row["examine"], row.get("examine_tag"))
    handler = imap(
        greeting=greeting,
        capabilities=caps,
        login=login,
        authenticate=scripted(authenticate, row.get("quoted_tag")) if authenticate else None,
        starttls=tls if starttls else None,
        after_tls_capabilities=row.get("after_tls_capabilities"),
        **options,
    )
    server = ScriptedServer(handler, None if starttls else certs)
    servers.append(server)
    settings = ServerSettings(
        host="localhost",
        port=server.port,
        security="starttls" if starttls else "tls",
        ca_file=str(certs.ca_file),
    )
    password = row.get("password", APP_PASSWORD)
    result = run(CheckRequest(row["email"], SecretStr(password), settings, 5, force=True))

    assert result.outcome == row["outcome"], (row["id"], result.server_text, result.stages)
    assert result.ok == (row["outcome"] == "ok")
    refusing = [
        line
        for key in ("login", "examine")
        for line in row.get(key, [])
        if re.match(r"^\S+ (NO|BAD|BYE)\b", line)
    ]
    if row["outcome"] != "ok":
        for line in refusing:
            assert result.server_text is not None, row["id"]
            assert words(line) in result.server_text, row["id"]
    received = server.all_received()
    for command in row.get("sent", []):
        assert f" {command}".encode() in received, (row["id"], command)
    for command in row.get("not_sent", []):
        assert f" {command}".encode() not in received, (row["id"], command)
    for text in row.get("hint_has", []):
        assert text in result.hint, (row["id"], result.hint)
    for text in row.get("hint_lacks", []):
        assert text not in result.hint, (row["id"], result.hint)
    dumped = result.model_dump_json()
    assert password not in dumped
    assert "".join(password.split()) not in dumped
