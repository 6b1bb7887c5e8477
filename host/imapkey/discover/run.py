"""Asking every source at once and taking the most trustworthy answer within the budget.

Sources, best first (Thunderbird's order, asked in parallel instead of one after another):

1. ``autoconfig``: the domain's own ``https://autoconfig.<domain>/mail/config-v1.1.xml``, then
   ``https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml``;
2. ``ispdb``: Mozilla's database, for the domain (only when look-ups are allowed);
3. ``srv``: RFC 6186/8314 records, ``_imaps._tcp`` before ``_imap._tcp`` (and the submission
   ones, kept for sending);
4. ``mx``: mail exchangers that belong to a known provider, else the ISPDB entry of the MX's
   own domain (``ispdb``);
5. ``guess``: ``imap.<domain>`` on 993, which must be confirmed before a password goes there.

An SRV record pointing outside the domain (and not at a known provider) must be confirmed too:
DNS answers are not authenticated. Results are cached in the process and on disk
(``imapkey.discover.cache``): 10 minutes for a server found, 1 minute for a guess.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from urllib.parse import quote

import dns.resolver

from imapkey.discover import autoconfig, dnsq, fetch
from imapkey.discover.config import BUDGET, Config, load
from imapkey.prober.providers import Endpoint, Suggestion, by_host, by_mx, preset

FOUND_TTL = 600.0
GUESS_TTL = 60.0

_cache: dict[tuple[object, ...], tuple[float, Suggestion]] = {}
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _in_domain(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _from_config(
    config: Config, url: str, domain: str, source: str, deadline: float, why: str
) -> Suggestion:
    found = autoconfig.parse(fetch.get(config, url, deadline), domain)
    assert found.imap is not None
    notes = [why]
    if not found.password_auth:
        notes.append("Its settings list no password sign-in for IMAP (only OAuth or the like).")
    known = by_host(found.imap.host)
    if known:
        notes += known.notes
    return Suggestion(
        known,
        found.imap.host,
        found.imap.port,
        found.imap.security,
        "autoconfig" if source == "autoconfig" else "ispdb",
        tuple(notes),
        name=found.name or (known.name if known else None),
        submission=found.submission,
    )


def _base_domain(host: str) -> str:
    """The registrable part of a host name, roughly: two labels, three under a short
    second-level label (``mx.example.co.uk`` → ``example.co.uk``)."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def discover(domain: str, lookup: bool = True) -> Suggestion:
    """Settings for a domain not in the table; always returns (a guess at worst)."""
    try:
        domain = domain.encode("idna").decode("ascii")  # DNS and HTTP want the A-label form
    except UnicodeError:
        return _guess(domain, load(lookup))
    config = load(lookup)
    key = (domain, *config.key)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
    from imapkey.discover import cache

    found = cache.get(key)
    ttl = GUESS_TTL if found is None or found.source == "guess" else FOUND_TTL
    if found is None:
        found = _discover(domain, config)
        ttl = GUESS_TTL if found.source == "guess" else FOUND_TTL
        cache.put(key, found, ttl)
    with _lock:
        _cache[key] = (time.monotonic() + ttl, found)
    return found


def _discover(domain: str, config: Config) -> Suggestion:
    deadline = time.monotonic() + BUDGET
    res = dnsq.resolver(config)

    def autoconf() -> Suggestion:
        url = f"https://autoconfig.{domain}/mail/config-v1.1.xml"
        return _from_config(
            config, url, domain, "autoconfig", deadline, f"From {domain}'s own autoconfig file."
        )

    def wellknown() -> Suggestion:
        url = f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml"
        return _from_config(
            config, url, domain, "autoconfig", deadline, f"From {domain}'s own autoconfig file."
        )

    def ispdb() -> Suggestion:
        url = config.ispdb_url + quote(domain, safe="")
        return _from_config(
            config, url, domain, "ispdb", deadline, f"From Mozilla's ISPDB entry for {domain}."
        )

    def srv() -> Suggestion:
        for name, security in (
            (f"_imaps._tcp.{domain}", "tls"),
            (f"_imap._tcp.{domain}", "starttls"),
        ):
            records = dnsq.srv(res, name, deadline)
            if not records:
                continue
            target = records[0]
            known = by_host(target.target)
            trusted = _in_domain(target.target, domain) or known is not None
            notes = [f"From {domain}'s DNS ({name.split('.', 1)[0]} SRV record)."]
            if not trusted:
                notes.append(
                    f"The record points outside {domain}, to {target.target}: DNS answers are "
                    "not authenticated, so confirm this server before sending a password."
                )
            return Suggestion(
                known,
                target.target,
                target.port,
                "tls" if security == "tls" else "starttls",
                "srv",
                tuple(notes + (list(known.notes) if known else [])),
                confirm=not trusted,
                name=known.name if known else None,
                submission=_srv_submission(res, domain, deadline),
            )
        raise LookupError(f"{domain} publishes no IMAP SRV record")

    def mx() -> Suggestion:
        hosts = dnsq.mx(res, domain, deadline)
        provider = by_mx(hosts)
        if provider:
            return preset(
                provider, "mx", f"{domain}'s mail is hosted by {provider.name} (its MX says so)."
            )
        if hosts and config.lookup:
            base = _base_domain(hosts[0])
            if base != domain:
                url = config.ispdb_url + quote(base, safe="")
                return _from_config(
                    config,
                    url,
                    base,
                    "ispdb",
                    deadline,
                    f"{domain}'s mail goes to {hosts[0]}; from Mozilla's ISPDB entry for {base}.",
                )
        raise LookupError(f"no known provider runs {domain}'s mail exchangers")

    tasks: list[Callable[[], Suggestion]] = [autoconf, wellknown]
    if config.lookup:
        tasks.append(ispdb)
    tasks += [srv, mx]
    pool = ThreadPoolExecutor(max_workers=len(tasks), thread_name_prefix="discover")
    futures: list[Future[Suggestion]] = [pool.submit(t) for t in tasks]
    try:
        while True:
            for future in futures:  # best first: stop at the first still running
                if not future.done():
                    break
                if future.exception() is None:
                    return future.result()
            else:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            wait([f for f in futures if not f.done()], timeout=left, return_when=FIRST_COMPLETED)
        for future in futures:  # out of time: the best of what has answered
            if future.done() and future.exception() is None:
                return future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return _guess(domain, config)


def _srv_submission(res: dns.resolver.Resolver, domain: str, deadline: float) -> Endpoint | None:
    """RFC 8314/6186 submission records, for sending (``_submissions`` is implicit TLS)."""
    for name, security in (
        (f"_submissions._tcp.{domain}", "tls"),
        (f"_submission._tcp.{domain}", "starttls"),
    ):
        try:
            records = dnsq.srv(res, name, deadline)
        except Exception:  # sending settings are a bonus: never fail IMAP for them
            return None
        if records:
            first = records[0]
            return Endpoint(first.target, first.port, "tls" if security == "tls" else "starttls")
    return None


def _guess(domain: str, config: Config) -> Suggestion:
    why = "No autoconfig file, DNS record or known provider names this domain's IMAP server" + (
        "." if config.lookup else " (Mozilla's ISPDB was not asked: look-ups are off)."
    )
    return Suggestion(
        None,
        f"imap.{domain}",
        993,
        "tls",
        "guess",
        (
            why,
            f"imap.{domain} on port 993 is only a guess: confirm it (or enter your provider's "
            "server) before your password is sent there.",
        ),
        confirm=True,
    )
