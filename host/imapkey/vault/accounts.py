"""Saved accounts: save (a rotation only after the new password works), list, re-check, delete.

Shared by the native operations and the CLI. Native replies never carry a stored secret;
``stored_password`` exists for the CLI's ``imapkey password`` alone. The prober (asyncio,
ssl, the stage ladder) is imported only by the functions that check: ``list`` and ``delete``
answer from the index and the keyring alone, on the popup's critical path.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from imapkey.errors import ACCOUNT_NOT_FOUND, ImapkeyError
from imapkey.prober import DEFAULT_PARALLEL, DEFAULT_TIMEOUT
from imapkey.prober.providers import by_domain
from imapkey.vault import secrets
from imapkey.vault.index import Account, Index, Outgoing, account_key, now

if TYPE_CHECKING:
    from pydantic import SecretStr

    from imapkey.prober.models import CheckResult, ServerSettings


def _not_found(email: str, host: str | None) -> ImapkeyError:
    where = f" on {host}" if host else ""
    return ImapkeyError(
        f"No saved account for {email}{where}.",
        "Save it first (imapkey save, or Check and save in the extension).",
        code=ACCOUNT_NOT_FOUND,
    )


def _settings(account: Account) -> ServerSettings:
    from imapkey.prober.models import ServerSettings

    return ServerSettings(
        host=account.host, port=account.port, security=account.security, ca_file=account.ca_file
    )


def _outgoing(account: Account) -> ServerSettings | None:
    from imapkey.prober.models import ServerSettings

    if account.smtp is None:
        return None
    return ServerSettings.model_validate(account.smtp.model_dump())


def sending_settings(email: str, smtp: ServerSettings | bool | None) -> ServerSettings | None:
    """The sending server a request asks for: its own, the provider's (``True``), or none.
    Raises ImapkeyError when the provider's is unknown or only a guess."""
    if smtp is None or smtp is False:
        return None
    if smtp is True:
        from imapkey.prober import check

        return check.settings_for(email, True, "smtp")[0]
    return smtp


def _sending_kept(
    outgoing: ServerSettings | None,
    sending: CheckResult | ImapkeyError | None,
    verify: bool,
    asked: bool,
    existing: list[Account],
) -> tuple[bool, Outgoing | None, str | None]:
    """What a save keeps for sending: whether it worked, the server to save, and how it last
    went. Only a sending server that worked is saved, and only a saved one has an outcome
    recorded (a failed sending check must not mark the account as broken). A save that did
    not ask about sending (a rotation) keeps what was saved before."""
    from imapkey.prober.models import CheckResult

    if not asked:
        if existing:
            return False, existing[0].smtp, existing[0].last_smtp_outcome
        return False, None, None
    worked = isinstance(sending, CheckResult) and sending.ok
    if outgoing is None or (verify and not worked):
        return False, None, None
    outcome = sending.outcome if isinstance(sending, CheckResult) else None
    return True, Outgoing.model_validate(outgoing.model_dump()), outcome


def save(
    email: str,
    password: SecretStr,
    server: ServerSettings | None = None,
    verify: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    cancelled: threading.Event | None = None,
    index: Index | None = None,
    force: bool = False,
    smtp: ServerSettings | bool | None = None,
) -> dict[str, Any]:
    """Check, then store on ``ok``. Over an existing account this is a rotation: the stored
    password is replaced only once the new one has worked.

    With ``smtp`` sending is checked at the same time, and its settings saved with the
    account (under the same secret) once it worked; receiving decides whether anything is
    saved."""
    from imapkey.prober import check
    from imapkey.prober.ladder import prepare

    index = index or Index()
    provider = by_domain(email)
    if server is None:
        server, provider = check.settings_for(email)
    existing = index.find(email, server.host)
    result: CheckResult | None = None
    sending: CheckResult | ImapkeyError | None = None
    outgoing: ServerSettings | None = None
    if smtp:
        try:
            outgoing = sending_settings(email, smtp)
        except ImapkeyError as exc:
            sending = exc

    def checked() -> dict[str, Any] | None:
        if result is None:
            return None
        return check.dump_pair(result, sending) if smtp else result.model_dump(mode="json")

    if verify:
        request = check.CheckRequest(email, password, server, timeout, force)
        if outgoing is not None:
            sending_request = check.CheckRequest(email, password, outgoing, timeout, force, "smtp")
            result, sending = check.run_pair(request, sending_request, cancelled)
        else:
            result = check.run(request, cancelled)
        if not result.ok:
            kept = bool(existing) and secrets.get(email, server.host) is not None
            if existing:
                index.record_check(email, server.host, result.outcome)
            note = (
                "Nothing was saved: the password you had saved before is kept unchanged."
                if kept
                else "Nothing was saved."
            )
            return {
                "saved": False,
                "rotated": False,
                "kept_previous": kept,
                "message": note,
                "check": checked(),
            }
    # Store what was proven to work: an app password without its display spaces.
    secrets.put(email, server.host, prepare(email, password.get_secret_value(), provider).password)
    for previous in existing:
        # Addresses match whatever their case: Me@Gmail.com replaces me@gmail.com, and the
        # secret stored under the old spelling must not stay behind.
        if previous.email != email.strip():
            secrets.remove(previous.email, previous.host)
    stamp = now()
    sending_ok, saved_smtp, smtp_outcome = _sending_kept(
        outgoing, sending, verify, bool(smtp), existing
    )
    account = Account(
        email=email.strip(),
        host=server.host,
        port=server.port,
        security=server.security,
        ca_file=server.ca_file,
        provider=provider.id if provider else None,
        saved_at=stamp,
        last_checked_at=stamp if result else None,
        last_outcome=result.outcome if result else None,
        # Worked: receiving did, and so did sending where a sending server is kept with it.
        last_ok_at=stamp
        if result and result.ok and (not smtp or sending_ok or saved_smtp is None)
        else None,
        smtp=saved_smtp,
        last_smtp_outcome=smtp_outcome,
    )
    rotated = index.upsert(account)
    message = "Saved in the system keyring" + (
        ", replacing the previous password." if rotated else "."
    )
    if smtp and not sending_ok:
        message += " The sending settings were not saved: sending did not work (see below)."
    return {
        "saved": True,
        "rotated": rotated,
        "kept_previous": False,
        "smtp_saved": saved_smtp is not None and bool(smtp),
        "message": message,
        "account": _listed(account, True),
        "check": checked(),
    }


def _listed(account: Account, secret_present: bool | None) -> dict[str, Any]:
    provider = by_domain(account.email)
    return {
        **account.model_dump(mode="json"),
        "secret_present": secret_present,
        "keyring_service": secrets.service_name(account.host),
        "app_password_link": provider.app_password_link if provider else None,
    }


def list_accounts(index: Index | None = None, with_secrets: bool = True) -> dict[str, Any]:
    """Every account, never a secret; one whose secret vanished says so, and secrets whose
    account vanished (orphans) are listed so they can be removed.

    Without ``with_secrets`` the keyring is not asked at all (nor imported): the index alone
    answers at once, for a popup that shows the list first and the keyring's state a moment
    later."""
    accounts = (index or Index()).load()
    if not with_secrets:
        return {
            "accounts": [_listed(a, None) for a in accounts],
            "orphans": [],
            "keyring_error": None,
            "secrets_checked": False,
        }
    keyring_error: dict[str, str] | None = None
    try:
        items = secrets.stored_items()
    except ImapkeyError as exc:
        items = None
        keyring_error = {"code": exc.code, "message": exc.message, "hint": exc.hint}
    listed = []
    for account in accounts:
        present: bool | None = None
        if items is not None:
            present = any(_same(item, account) for item in items)
        elif keyring_error is None:
            try:
                present = secrets.get(account.email, account.host) is not None
            except ImapkeyError as exc:
                keyring_error = {"code": exc.code, "message": exc.message, "hint": exc.hint}
        listed.append(_listed(account, present))
    orphans = [
        {"email": email, "host": host, "keyring_service": secrets.service_name(host)}
        for host, email in sorted(items or ())
        if not any(_same((host, email), account) for account in accounts)
    ]
    return {
        "accounts": listed,
        "orphans": orphans,
        "keyring_error": keyring_error,
        "secrets_checked": True,
    }


def _same(item: tuple[str, str], account: Account) -> bool:
    host, email = item
    return account_key(email, host) == account.key


def delete(email: str, host: str | None = None, index: Index | None = None) -> dict[str, Any]:
    """Remove the keyring items and index entries; remind the user to revoke at the provider."""
    index = index or Index()
    found = index.find(email, host)
    if found:
        for account in found:
            secrets.remove(account.email, account.host)
        removed = [{"email": a.email, "host": a.host} for a in index.remove(email, host)]
    elif host and secrets.remove(email, host):
        removed = [{"email": email.strip(), "host": host}]  # an orphan: a secret, no account
    else:
        raise _not_found(email, host)
    provider = by_domain(email)
    link = provider.app_password_link if provider else None
    return {
        "removed": removed,
        "message": "Removed from this computer. The app password itself still works until you "
        "revoke it at your provider.",
        "hint": "Revoke it on your provider's app passwords page so nobody can use it.",
        "link": link,
    }


def stored_password(email: str, host: str | None = None, index: Index | None = None) -> str:
    """The stored secret (for ``imapkey password`` only; never sent over the native port)."""
    found = (index or Index()).find(email, host)
    if not found:
        raise _not_found(email, host)
    return _secret_of(found[0])


def _secret_of(account: Account) -> str:
    secret = secrets.get(account.email, account.host)
    if secret is None:
        raise ImapkeyError(
            f"The keyring holds no password for {account.email} on {account.host} any more.",
            "Save the account again.",
            code=ACCOUNT_NOT_FOUND,
        )
    return secret


def check_stored(
    email: str,
    host: str | None,
    timeout: float,
    force: bool,
    cancelled: threading.Event | None = None,
    index: Index | None = None,
) -> CheckResult:
    """Check a saved account with its stored secret and record how it went.

    Only the saved settings are ever used: the secret goes nowhere but the server it was
    proven against (a caller naming another port, security or CA would otherwise receive it).
    """
    from pydantic import SecretStr

    from imapkey.prober import check

    index = index or Index()
    found = index.find(email, host)
    if not found:
        raise _not_found(email, host)
    account = found[0]
    secret = _secret_of(account)
    result = check.run(
        check.CheckRequest(account.email, SecretStr(secret), _settings(account), timeout, force),
        cancelled,
    )
    index.record_check(account.email, account.host, result.outcome)
    return result


def check_stored_both(
    email: str,
    host: str | None,
    timeout: float,
    force: bool,
    cancelled: threading.Event | None = None,
    index: Index | None = None,
) -> tuple[CheckResult, CheckResult | ImapkeyError]:
    """Receiving and sending of a saved account at once, with the stored secret and only the
    saved settings (an account saved without a sending server says so, as the SMTP error)."""
    from pydantic import SecretStr

    from imapkey.prober import check
    from imapkey.prober.models import CheckResult

    index = index or Index()
    found = index.find(email, host)
    if not found:
        raise _not_found(email, host)
    account = found[0]
    secret = SecretStr(_secret_of(account))
    receiving = check.CheckRequest(account.email, secret, _settings(account), timeout, force)
    outgoing = _outgoing(account)
    if outgoing is None:
        result = check.run(receiving, cancelled)
        index.record_check(account.email, account.host, result.outcome)
        return result, ImapkeyError(
            "No sending server is saved for this account.",
            "Save the account again with sending checked (--smtp, or the extension's "
            "Check and save) to keep its sending settings.",
            code=ACCOUNT_NOT_FOUND,
        )
    sending = check.CheckRequest(account.email, secret, outgoing, timeout, force, "smtp")
    result, sent = check.run_pair(receiving, sending, cancelled)
    smtp_outcome = sent.outcome if isinstance(sent, CheckResult) else None
    index.record_check(account.email, account.host, result.outcome, smtp_outcome)
    return result, sent


def _failed_entry(account: Account, error: dict[str, str]) -> dict[str, Any]:
    """A re-check entry for an account that could not be checked at all."""
    return {
        "email": account.email,
        "host": account.host,
        "check": None,
        "smtp": None,
        "smtp_outcome": None,
        "works": False,
        "error": error,
    }


def recheck(
    email: str | None = None,
    parallel: int = DEFAULT_PARALLEL,
    timeout: float = DEFAULT_TIMEOUT,
    cancelled: threading.Event | None = None,
    index: Index | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Check one saved account, or all, with the stored secrets (bounded parallelism)."""
    from pydantic import SecretStr

    from imapkey.prober import check

    index = index or Index()
    accounts = index.find(email) if email else index.load()
    if email and not accounts:
        raise _not_found(email, None)
    from pydantic import ValidationError

    entries: list[dict[str, Any]] = []
    requests: list[check.CheckRequest] = []
    targets: list[tuple[Account, bool]] = []  # each account, and whether sending is checked
    for account in accounts:
        secret = secrets.get(account.email, account.host)
        if secret is None:
            entries.append(
                _failed_entry(
                    account,
                    {
                        "code": ACCOUNT_NOT_FOUND,
                        "message": "The keyring holds no password for this account any more.",
                        "hint": "Save the account again.",
                    },
                )
            )
            continue
        try:
            outgoing = _outgoing(account)
        except ValidationError:  # a damaged sending entry: receiving is still checked
            outgoing = None
        targets.append((account, outgoing is not None))
        requests.append(
            check.CheckRequest(account.email, SecretStr(secret), _settings(account), timeout, force)
        )
        if outgoing is not None:
            # Sending too, in the same batch: the time is the slowest check, not the sum.
            requests.append(
                check.CheckRequest(
                    account.email, SecretStr(secret), outgoing, timeout, force, "smtp"
                )
            )
    results = iter(check.run_many(requests, parallel, cancelled) if requests else [])
    for account, sends in targets:
        result = next(results)
        sent = next(results) if sends else None
        if isinstance(result, ImapkeyError):
            error = {"code": result.code, "message": result.message, "hint": result.hint}
            entries.append(_failed_entry(account, error))
            continue
        smtp_outcome = None
        smtp: dict[str, Any] | None = None
        if isinstance(sent, ImapkeyError):
            smtp_outcome = sent.code
        elif sent is not None:
            smtp_outcome = sent.outcome
            smtp = sent.model_dump(mode="json")
        index.record_check(account.email, account.host, result.outcome, smtp_outcome)
        entries.append(
            {
                "email": account.email,
                "host": account.host,
                "check": result.model_dump(mode="json"),
                "smtp": smtp,
                "smtp_outcome": smtp_outcome,
                "works": result.ok and smtp_outcome in (None, "ok"),
                "error": None,
            }
        )
    return {"results": entries}
