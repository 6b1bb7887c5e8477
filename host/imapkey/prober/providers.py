"""IMAP settings by the address's domain, and by MX records for custom domains.

Well-known domains are answered from the table at once. A custom domain's MX records (looked
up with a short timeout) reveal a hosted provider: Google Workspace, Microsoft 365, and others.
Failing that, the conventional ``imap.<domain>`` on 993 is offered, and said to be a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import dns.resolver

Security = Literal["tls", "starttls"]
Source = Literal["domain", "mx", "guess"]

MX_TIMEOUT = 2.0  # seconds; a slow resolver must not delay the popup


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    host: str
    port: int = 993
    security: Security = "tls"
    domains: tuple[str, ...] = ()
    mx_suffixes: tuple[str, ...] = ()
    accepts_app_passwords: bool = True
    app_password_link: str | None = None
    notes: tuple[str, ...] = field(default=())
    max_connections: int = 10


GMAIL = Provider(
    "gmail",
    "Gmail / Google Workspace",
    "imap.gmail.com",
    domains=("gmail.com", "googlemail.com"),
    mx_suffixes=(".google.com", ".googlemail.com"),
    app_password_link="https://myaccount.google.com/apppasswords",
    notes=(
        "Google needs an app password (16 letters) for IMAP; the account password is refused.",
        "App passwords need 2-Step Verification, and changing the account password revokes "
        "them all.",
    ),
    max_connections=15,
)
MICROSOFT = Provider(
    "microsoft",
    "Outlook.com / Microsoft 365",
    "outlook.office365.com",
    domains=(
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "hotmail.co.uk",
        "outlook.de",
        "hotmail.de",
        "hotmail.fr",
        "live.co.uk",
        "outlook.fr",
    ),
    mx_suffixes=(".mail.protection.outlook.com",),
    accepts_app_passwords=False,
    notes=(
        "Microsoft accepts no password of any kind over IMAP, app passwords included: "
        "only OAuth sign-in works.",
    ),
)
PROVIDERS: tuple[Provider, ...] = (
    GMAIL,
    MICROSOFT,
    Provider(
        "yahoo",
        "Yahoo Mail",
        "imap.mail.yahoo.com",
        domains=(
            "yahoo.com",
            "ymail.com",
            "rocketmail.com",
            "yahoo.co.uk",
            "yahoo.fr",
            "yahoo.de",
            "yahoo.co.jp",
        ),
        mx_suffixes=(".yahoodns.net",),
        app_password_link="https://login.yahoo.com/account/security/app-passwords",
        notes=("Yahoo needs an app password for IMAP.",),
    ),
    Provider(
        "icloud",
        "iCloud Mail",
        "imap.mail.me.com",
        domains=("icloud.com", "me.com", "mac.com"),
        mx_suffixes=(".mail.icloud.com",),
        app_password_link="https://account.apple.com/account/manage",
        notes=("iCloud needs an app-specific password for IMAP.",),
    ),
    Provider(
        "aol",
        "AOL Mail",
        "imap.aol.com",
        domains=("aol.com", "aim.com"),
        app_password_link="https://login.aol.com/account/security/app-passwords",
        notes=("AOL needs an app password for IMAP.",),
    ),
    Provider(
        "fastmail",
        "Fastmail",
        "imap.fastmail.com",
        domains=("fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.to"),
        mx_suffixes=(".messagingengine.com",),
        app_password_link="https://app.fastmail.com/settings/security/apps",
        notes=("Fastmail needs an app password for IMAP.",),
    ),
    Provider(
        "zoho",
        "Zoho Mail",
        "imap.zoho.com",
        domains=("zoho.com", "zohomail.com"),
        mx_suffixes=(".zoho.com", ".zoho.eu"),
        notes=("With two-factor authentication on, Zoho needs an app-specific password.",),
    ),
    Provider(
        "gmx",
        "GMX",
        "imap.gmx.net",
        domains=("gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch"),
        notes=("GMX has IMAP switched off until you enable it in its web settings.",),
    ),
)

_BY_DOMAIN = {domain: p for p in PROVIDERS for domain in p.domains}


@dataclass(frozen=True)
class Suggestion:
    provider: Provider | None
    host: str
    port: int
    security: Security
    source: Source
    notes: tuple[str, ...]


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def by_domain(email: str) -> Provider | None:
    """The provider that owns the address's domain outright, if any (no network)."""
    return _BY_DOMAIN.get(domain_of(email))


def by_mx(hosts: list[str]) -> Provider | None:
    """The provider whose mail exchangers these are."""
    for host in hosts:
        name = host.lower().rstrip(".")
        for provider in PROVIDERS:
            if any(name.endswith(s) or name == s.lstrip(".") for s in provider.mx_suffixes):
                return provider
    return None


def mx_hosts(domain: str, resolver: dns.resolver.Resolver | None = None) -> list[str]:
    """MX host names by preference; raises on failure (the caller falls back)."""
    import dns.resolver

    res = resolver or dns.resolver.Resolver()
    answer = res.resolve(domain, "MX", lifetime=MX_TIMEOUT)
    records = sorted(answer, key=lambda r: r.preference)
    return [r.exchange.to_text(omit_final_dot=True) for r in records]


def suggest(email: str, resolver: dns.resolver.Resolver | None = None) -> Suggestion:
    """Settings for ``email``: from the table, else from MX records, else a stated guess."""
    provider = by_domain(email)
    if provider:
        return Suggestion(
            provider, provider.host, provider.port, provider.security, "domain", provider.notes
        )
    domain = domain_of(email)
    try:
        hosts = mx_hosts(domain, resolver)
    except Exception as exc:  # any resolver failure means: no MX knowledge, fall back
        if type(exc).__name__ in ("NXDOMAIN", "NoAnswer", "NoNameservers"):
            note = f"DNS lists no mail servers for {domain}."
        else:
            note = f"Could not look up {domain}'s mail servers ({type(exc).__name__})."
        hosts = []
    else:
        note = "No known provider hosts this domain's mail."
    provider = by_mx(hosts)
    if provider:
        return Suggestion(
            provider,
            provider.host,
            provider.port,
            provider.security,
            "mx",
            (
                f"{domain}'s mail is hosted by {provider.name} (its MX records say so).",
                *provider.notes,
            ),
        )
    return Suggestion(
        None,
        f"imap.{domain}",
        993,
        "tls",
        "guess",
        (note, f"imap.{domain} on port 993 is a guess: check your provider's documentation."),
    )
