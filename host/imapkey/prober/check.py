"""Checking credentials: settings from the provider, our lockout guard, then the probe.

``check`` is what the native op and the CLI call; ``check_many`` checks several accounts with
bounded parallelism and a per-server connection cap; ``check_pair`` checks receiving (IMAP)
and sending (SMTP) at once, so the time is the longer of the two, not the sum.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import SecretStr

from imapkey.errors import CANCELLED, INTERNAL_ERROR, INVALID_REQUEST, ImapkeyError
from imapkey.prober import DEFAULT_PARALLEL, DEFAULT_TIMEOUT
from imapkey.prober import outcomes as o
from imapkey.prober.ladder import Session, prepare, refuse_unsendable
from imapkey.prober.lockout import Lockout
from imapkey.prober.models import CheckResult, ServerSettings, Stage
from imapkey.prober.probe import Probe
from imapkey.prober.providers import Provider, by_domain, suggest

log = logging.getLogger("imapkey.prober")

DEFAULT_PER_SERVER = 10
T = TypeVar("T")


@dataclass
class CheckRequest:
    email: str
    password: SecretStr
    server: ServerSettings | None = None
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False
    protocol: Protocol = "imap"


Protocol = Literal["imap", "smtp"]


def vouched_for(host: str, email: str, source: str) -> bool:
    """Whether a sending server may get the password without the user confirming it. An SRV
    answer is not authenticated: one pointing outside the address's domain, to no known
    provider's sending server, is a guess like any other (a config file over HTTPS from the
    domain, Mozilla's ISPDB and the presets vouch for theirs)."""
    if source != "srv":
        return True
    from imapkey.prober.providers import PROVIDERS, domain_of

    name, domain = host.lower().rstrip("."), domain_of(email)
    if name == domain or name.endswith("." + domain):
        return True
    return any(p.smtp is not None and p.smtp.host == name for p in PROVIDERS)


def settings_for(
    email: str, lookup: bool = True, protocol: Protocol = "imap"
) -> tuple[ServerSettings, Provider | None]:
    """The provider's settings for the address (discovered for custom domains); refuses a
    server that is only a guess, so no password goes there unconfirmed."""
    found = suggest(email, lookup)
    if found.confirm:
        from imapkey.discover.confirm import unconfirmed

        raise unconfirmed(found, protocol)
    if protocol == "smtp":
        sending = found.submission
        if sending is not None and not vouched_for(sending.host, email, found.source):
            from imapkey.discover.confirm import unconfirmed

            raise unconfirmed(found, protocol)
        if sending is None:
            raise ImapkeyError(
                "No sending (SMTP) server is known for this address.",
                "Give the provider's sending server: --smtp-host and --smtp-port on the "
                'command line, or "smtp": {host, port, security} in a request.',
                code=INVALID_REQUEST,
            )
        server = ServerSettings(host=sending.host, port=sending.port, security=sending.security)
        return server, found.provider
    server = ServerSettings(host=found.host, port=found.port, security=found.security)
    return server, found.provider


def _short(
    email: str,
    server: ServerSettings,
    provider: Provider | None,
    outcome: str,
    detail: str,
    password: str,
) -> CheckResult:
    """A result reached without connecting."""
    explanation = o.explain(outcome)
    return CheckResult(
        ok=False,
        outcome=outcome,
        message=explanation.message,
        hint=explanation.hint,
        link=explanation.link,
        warnings=prepare(email, password, provider).warnings,
        email=email.strip(),
        provider=provider.id if provider else None,
        server=server,
        stages=[Stage(name="precheck", ok=False, ms=0.0, detail=detail)],
        elapsed_ms=0.0,
    )


async def check_async(request: CheckRequest, lockout: Lockout | None = None) -> CheckResult:
    """Check one account; always returns a result (invalid CA files raise ImapkeyError)."""
    provider = by_domain(request.email)
    if request.server is None:
        server, provider = await asyncio.to_thread(
            settings_for, request.email, True, request.protocol
        )
    else:
        server = request.server
    password = request.password.get_secret_value()
    refuse_unsendable(prepare(request.email, password, provider))
    guard = lockout or Lockout()
    # Sending keeps a count of its own: one wrong password, checked for both on a server
    # that does both, is one mistake per protocol, not two toward the same pause.
    counted = server.host if request.protocol == "imap" else f"smtp:{server.host}"
    if not request.force:
        wait = await asyncio.to_thread(guard.retry_after, request.email, counted)
        if wait is not None:
            minutes = max(1, round(wait / 60))
            return _short(
                request.email,
                server,
                provider,
                o.LOCKED_OUT_LOCALLY,
                f"paused for about {minutes} more minute(s)",
                password,
            )
        if (
            request.protocol == "imap"
            and provider is not None
            and not provider.accepts_app_passwords
            and server.host == provider.host
        ):
            return _short(
                request.email,
                server,
                provider,
                o.BASIC_AUTH_DISABLED,
                f"{provider.name} accepts no passwords over IMAP",
                password,
            )
    session: Session
    if request.protocol == "smtp":
        from imapkey.prober.smtp import SmtpProbe

        session = SmtpProbe(request.email, password, server, request.timeout, provider)
    else:
        session = Probe(request.email, password, server, request.timeout, provider)
    result = await session.run()
    log.info(
        "check %s%s:%d %s -> %s in %.0f ms",
        "smtp " if request.protocol == "smtp" else "",
        server.host,
        server.port,
        server.security,
        result.outcome,
        result.elapsed_ms,
    )
    if result.outcome in o.LOGIN_FAILURES or result.ok:
        await asyncio.to_thread(
            guard.record, request.email, counted, result.outcome in o.LOGIN_FAILURES
        )
    return result


async def check_many(
    requests: Sequence[CheckRequest],
    parallel: int = DEFAULT_PARALLEL,
    lockout: Lockout | None = None,
) -> list[CheckResult | ImapkeyError]:
    """Check several accounts at once: at most ``parallel`` in all, and at most the provider's
    connection cap (Gmail: 15) per server. One account's error (an unusable CA file, a bug)
    is that account's answer, never the others' failure."""
    overall = asyncio.Semaphore(parallel)
    per_server: dict[str, asyncio.Semaphore] = {}

    async def one(request: CheckRequest) -> CheckResult | ImapkeyError:
        provider = by_domain(request.email)
        host = request.server.host if request.server else (provider.host if provider else "")
        cap = provider.max_connections if provider else DEFAULT_PER_SERVER
        gate = per_server.setdefault(host.lower(), asyncio.Semaphore(cap))
        async with overall, gate:
            try:
                return await check_async(request, lockout)
            except ImapkeyError as exc:
                return exc
            except Exception as exc:
                from imapkey.server import log_unexpected

                log_unexpected(exc, "check_many")
                return ImapkeyError(
                    "Something went wrong inside imapkey while checking this account.",
                    "Details are in imapkey's log; please report it.",
                    code=INTERNAL_ERROR,
                )

    return list(await asyncio.gather(*(one(r) for r in requests)))


async def check_pair(
    receiving: CheckRequest, sending: CheckRequest, lockout: Lockout | None = None
) -> tuple[CheckResult, CheckResult | ImapkeyError]:
    """Receiving and sending at once. The IMAP check's error is the caller's error; the SMTP
    check's (no sending server known, an unusable CA file) is the answer for sending only."""
    imap_task = asyncio.ensure_future(check_async(receiving, lockout))
    smtp_task = asyncio.ensure_future(check_async(sending, lockout))
    try:
        await asyncio.wait({imap_task, smtp_task})
    finally:
        for task in (imap_task, smtp_task):
            task.cancel()
    exc = smtp_task.exception()
    if exc is not None and not isinstance(exc, ImapkeyError):
        raise exc
    return imap_task.result(), exc if isinstance(exc, ImapkeyError) else smtp_task.result()


def dump_pair(result: CheckResult, sending: CheckResult | ImapkeyError | None) -> dict[str, Any]:
    """The reply for a check of both: the IMAP result with ``smtp`` (a result of the same
    shape, or null) and ``smtp_error`` (why sending could not be checked, or null)."""
    reply = result.model_dump(mode="json")
    if isinstance(sending, ImapkeyError):
        reply["smtp"] = None
        reply["smtp_error"] = {
            "code": sending.code,
            "message": sending.message,
            "hint": sending.hint,
        }
    else:
        reply["smtp"] = sending.model_dump(mode="json") if sending is not None else None
        reply["smtp_error"] = None
    return reply


def run_pair(
    receiving: CheckRequest, sending: CheckRequest, cancelled: threading.Event | None = None
) -> tuple[CheckResult, CheckResult | ImapkeyError]:
    """``check_pair`` from synchronous code."""
    return _run_sync(lambda: _cancellable(check_pair(receiving, sending), cancelled))


def run(request: CheckRequest, cancelled: threading.Event | None = None) -> CheckResult:
    """Check from synchronous code (a host worker thread, the CLI); stops early if
    ``cancelled`` is set."""
    return _run_sync(lambda: _cancellable(check_async(request), cancelled))


def run_many(
    requests: Sequence[CheckRequest],
    parallel: int = DEFAULT_PARALLEL,
    cancelled: threading.Event | None = None,
) -> list[CheckResult | ImapkeyError]:
    return _run_sync(lambda: _cancellable(check_many(requests, parallel), cancelled))


def _run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from synchronous code, even when the calling thread
    already runs an event loop (then on a thread of its own)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


async def _cancellable(work: Coroutine[Any, Any, T], cancelled: threading.Event | None) -> T:
    task = asyncio.ensure_future(work)
    if cancelled is None:
        return await task
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.05)
        if done:
            return task.result()
        if cancelled.is_set():
            task.cancel()
            raise ImapkeyError(
                "The check was stopped because the browser closed the connection.",
                code=CANCELLED,
            )
