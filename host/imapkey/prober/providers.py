"""The table of well-known providers, and the settings suggested for an address.

Well-known domains are answered from the table at once, with no network. Any other domain is
handed to ``imapkey.discover`` (autoconfig, Mozilla's ISPDB, SRV, MX), imported only then.
A suggestion says where it came from, and whether it is only a guess that must be confirmed
before a password is sent there.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Security = Literal["tls", "starttls"]
Source = Literal["preset", "autoconfig", "ispdb", "srv", "mx", "guess"]


# NamedTuples, not dataclasses: ``list`` imports this table on the popup's critical path,
# and a frozen dataclass costs about 1 ms of code generation at import.
class Endpoint(NamedTuple):
    """A server for one protocol: where, and with which connection security."""

    host: str
    port: int
    security: Security


class Provider(NamedTuple):
    id: str
    name: str
    host: str
    port: int = 993
    security: Security = "tls"
    domains: tuple[str, ...] = ()
    mx_suffixes: tuple[str, ...] = ()
    accepts_app_passwords: bool = True
    app_password_link: str | None = None
    notes: tuple[str, ...] = ()
    max_connections: int = 10
    # The sending (SMTP submission) server mail clients are told to use.
    smtp: Endpoint | None = None


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
    smtp=Endpoint("smtp.gmail.com", 465, "tls"),
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
    smtp=Endpoint("smtp-mail.outlook.com", 587, "starttls"),
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
        smtp=Endpoint("smtp.mail.yahoo.com", 465, "tls"),
    ),
    Provider(
        "icloud",
        "iCloud Mail",
        "imap.mail.me.com",
        domains=("icloud.com", "me.com", "mac.com"),
        mx_suffixes=(".mail.icloud.com",),
        app_password_link="https://account.apple.com/account/manage",
        notes=(
            "iCloud needs an app-specific password for IMAP.",
            "Log in with your main iCloud Mail address, also when you write from an alias.",
        ),
        smtp=Endpoint("smtp.mail.me.com", 587, "starttls"),
    ),
    Provider(
        "aol",
        "AOL Mail",
        "imap.aol.com",
        domains=("aol.com", "aim.com", "aol.co.uk", "aol.de", "aol.fr", "love.com", "ygm.com"),
        app_password_link="https://login.aol.com/account/security/app-passwords",
        notes=("AOL needs an app password for IMAP.",),
        smtp=Endpoint("smtp.aol.com", 465, "tls"),
    ),
    Provider(
        "fastmail",
        "Fastmail",
        "imap.fastmail.com",
        domains=("fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.to"),
        mx_suffixes=(".messagingengine.com",),
        app_password_link="https://app.fastmail.com/settings/security/apps",
        notes=("Fastmail needs an app password for IMAP.",),
        smtp=Endpoint("smtp.fastmail.com", 465, "tls"),
    ),
    Provider(
        "zoho",
        "Zoho Mail",
        "imap.zoho.com",
        domains=("zoho.com", "zohomail.com"),
        mx_suffixes=(".zoho.com", ".zoho.eu"),
        notes=("With two-factor authentication on, Zoho needs an app-specific password.",),
        smtp=Endpoint("smtp.zoho.com", 465, "tls"),
    ),
    Provider(
        "gmx",
        "GMX",
        "imap.gmx.net",
        domains=("gmx.com", "gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.fr", "gmx.us"),
        mx_suffixes=(".gmx.net", ".gmx.com"),
        notes=(
            "GMX has IMAP switched off until you enable it: web mail → Settings → "
            "POP3/IMAP Retrieval.",
            "With two-factor authentication on, GMX needs an application-specific password.",
        ),
        smtp=Endpoint("mail.gmx.net", 465, "tls"),
    ),
    Provider(
        "webde",
        "WEB.DE",
        "imap.web.de",
        domains=("web.de",),
        mx_suffixes=(".web.de",),
        notes=(
            "WEB.DE has IMAP switched off until you enable it: web mail → Settings → "
            "POP3/IMAP Retrieval.",
            "With two-factor authentication on, WEB.DE needs an application-specific password.",
        ),
        smtp=Endpoint("smtp.web.de", 587, "starttls"),
    ),
    Provider(
        "mailcom",
        "mail.com",
        "imap.mail.com",
        domains=(
            "mail.com",
            "email.com",
            "usa.com",
            "myself.com",
            "consultant.com",
            "post.com",
            "europe.com",
            "engineer.com",
        ),
        mx_suffixes=(".mail.com",),
        notes=(
            "mail.com has IMAP switched off until you enable it: web mail → Settings → "
            "POP3 & IMAP (IMAP may need a Premium plan).",
        ),
        smtp=Endpoint("smtp.mail.com", 587, "starttls"),
    ),
    Provider(
        "yandex",
        "Yandex Mail",
        "imap.yandex.com",
        domains=("yandex.com", "yandex.ru", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua"),
        mx_suffixes=(".yandex.net", ".yandex.ru"),
        app_password_link="https://id.yandex.com/security/app-passwords",
        notes=("Yandex needs IMAP switched on (Settings → Email clients) and an app password.",),
        smtp=Endpoint("smtp.yandex.com", 465, "tls"),
    ),
    Provider(
        "mailru",
        "Mail.ru",
        "imap.mail.ru",
        domains=("mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "mail.ua"),
        mx_suffixes=(".mail.ru",),
        app_password_link="https://account.mail.ru/user/2-step-auth/passwords/",
        notes=(
            "Mail.ru needs a password for external applications, created in its security "
            "settings; the account password is refused.",
        ),
        smtp=Endpoint("smtp.mail.ru", 465, "tls"),
    ),
    Provider(
        "proton",
        "Proton Mail (through Proton Mail Bridge)",
        "127.0.0.1",
        port=1143,
        security="starttls",
        domains=("proton.me", "protonmail.com", "protonmail.ch", "pm.me"),
        mx_suffixes=(".protonmail.ch",),
        notes=(
            "Proton Mail speaks IMAP only through Proton Mail Bridge, running on this "
            "computer: use the password Bridge shows, not your Proton password.",
            "Bridge uses its own certificate: export it from Bridge's settings and pass it "
            "with --ca-file.",
        ),
        smtp=Endpoint("127.0.0.1", 1025, "starttls"),
    ),
)

_BY_DOMAIN = {domain: p for p in PROVIDERS for domain in p.domains}


class Suggestion(NamedTuple):
    provider: Provider | None
    host: str
    port: int
    security: Security
    source: Source
    notes: tuple[str, ...]
    # True when nothing vouches for the server (a guess, or a DNS record pointing outside the
    # domain): no password goes there until the user confirms it.
    confirm: bool = False
    name: str | None = None
    submission: Endpoint | None = None


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


def by_host(host: str) -> Provider | None:
    """The provider whose IMAP server this is."""
    name = host.lower().rstrip(".")
    return next((p for p in PROVIDERS if p.host == name), None)


def preset(provider: Provider, source: Source = "preset", *notes: str) -> Suggestion:
    return Suggestion(
        provider,
        provider.host,
        provider.port,
        provider.security,
        source,
        (*notes, *provider.notes),
        name=provider.name,
        submission=provider.smtp,
    )


def suggest(email: str, lookup: bool = True) -> Suggestion:
    """Settings for ``email``: from the table, else found on the network (``discover``).

    ``lookup=False`` keeps the domain from being sent to Mozilla's ISPDB."""
    provider = by_domain(email)
    if provider:
        return preset(provider)
    from imapkey.discover.run import discover

    return discover(domain_of(email), lookup=lookup)
