"""Outcomes of a check: a stable code, what happened in plain words, and the fix.

Codes are part of the protocol: only ever appended. ``explain`` gives the default words; the
prober may add specifics (which security to choose, what the server said).
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
AUTH_FAILED = "auth_failed"
APP_PASSWORD_REQUIRED = "app_password_required"
WEB_LOGIN_REQUIRED = "web_login_required"
IMAP_DISABLED = "imap_disabled"
TOO_MANY_CONNECTIONS = "too_many_connections"
THROTTLED = "throttled"
BASIC_AUTH_DISABLED = "basic_auth_disabled"
DNS_FAILED = "dns_failed"
CONNECTION_REFUSED = "connection_refused"
CONNECT_TIMEOUT = "connect_timeout"
GREETING_TIMEOUT = "greeting_timeout"
TIMEOUT = "timeout"
SECURITY_MISMATCH = "security_mismatch"
POP3_PORT = "pop3_port"
SMTP_PORT = "smtp_port"
NOT_IMAP = "not_imap"
SERVER_UNAVAILABLE = "server_unavailable"
NO_ENCRYPTION = "no_encryption"
LOGIN_DISABLED = "login_disabled"
CERT_UNTRUSTED = "cert_untrusted"
CERT_HOSTNAME_MISMATCH = "cert_hostname_mismatch"
CERT_EXPIRED = "cert_expired"
PROTOCOL_ERROR = "protocol_error"
LOCKED_OUT_LOCALLY = "locked_out_locally"
CONNECTION_LOST = "connection_lost"
POLICY_REFUSED = "policy_refused"
MAILBOX_UNAVAILABLE = "mailbox_unavailable"
# Sending (SMTP submission) only.
AUTH_NOT_OFFERED = "auth_not_offered"
IMAP_PORT = "imap_port"
NOT_SMTP = "not_smtp"

OUTCOMES: tuple[str, ...] = (
    OK,
    AUTH_FAILED,
    APP_PASSWORD_REQUIRED,
    WEB_LOGIN_REQUIRED,
    IMAP_DISABLED,
    TOO_MANY_CONNECTIONS,
    THROTTLED,
    BASIC_AUTH_DISABLED,
    DNS_FAILED,
    CONNECTION_REFUSED,
    CONNECT_TIMEOUT,
    GREETING_TIMEOUT,
    TIMEOUT,
    SECURITY_MISMATCH,
    POP3_PORT,
    SMTP_PORT,
    NOT_IMAP,
    SERVER_UNAVAILABLE,
    NO_ENCRYPTION,
    LOGIN_DISABLED,
    CERT_UNTRUSTED,
    CERT_HOSTNAME_MISMATCH,
    CERT_EXPIRED,
    PROTOCOL_ERROR,
    LOCKED_OUT_LOCALLY,
    CONNECTION_LOST,
    POLICY_REFUSED,
    MAILBOX_UNAVAILABLE,
    AUTH_NOT_OFFERED,
    IMAP_PORT,
    NOT_SMTP,
)

# Failed logins that count towards a provider's lockout (and ours, see lockout.py). Refusals
# that say nothing about the password (a policy, the server's own trouble) do not count: the
# user cannot fix them by trying another password, and must not be paused for them.
LOGIN_FAILURES = frozenset({AUTH_FAILED, APP_PASSWORD_REQUIRED, WEB_LOGIN_REQUIRED})

# Outcomes whose default link is Google's page, offered only when the account is Google's.
GOOGLE_ONLY_LINKS = frozenset({APP_PASSWORD_REQUIRED, WEB_LOGIN_REQUIRED, IMAP_DISABLED})

GOOGLE_APP_PASSWORDS = "https://myaccount.google.com/apppasswords"
GOOGLE_APP_PASSWORD_HELP = "https://support.google.com/accounts/answer/185833"
GOOGLE_WEB_LOGIN = "https://accounts.google.com/DisplayUnlockCaptcha"
GOOGLE_IMAP_SETTINGS = "https://mail.google.com/mail/#settings/fwdandpop"
MICROSOFT_MODERN_AUTH = (
    "https://support.microsoft.com/office/"
    "modern-authentication-methods-now-needed-to-continue-syncing-outlook-email-"
    "in-non-microsoft-email-apps-c5d65390-9676-4763-b41f-d7986499a90d"
)


@dataclass(frozen=True)
class Explanation:
    message: str
    hint: str
    link: str | None = None


_DEFAULTS: dict[str, Explanation] = {
    OK: Explanation(
        "Signed in: this password works for IMAP.",
        "Your mail client will work with these settings.",
    ),
    AUTH_FAILED: Explanation(
        "The server refused this address and password.",
        "Check the address, and copy the app password again (spaces do not matter). An app "
        "password that worked before stops working when it is revoked or when the account "
        "password is changed: create a new one.",
    ),
    APP_PASSWORD_REQUIRED: Explanation(
        "The password is right, but this account uses 2-Step Verification, so mail clients "
        "need an app password instead of the account password.",
        "Create an app password on your Google Account's App passwords page and use that.",
        GOOGLE_APP_PASSWORDS,
    ),
    WEB_LOGIN_REQUIRED: Explanation(
        "The provider wants you to sign in through a web browser before it lets this client in.",
        "Sign in to your mail in a browser (from the same network), confirm it was you, "
        "then check again.",
        GOOGLE_WEB_LOGIN,
    ),
    IMAP_DISABLED: Explanation(
        "IMAP access is switched off for this account.",
        "Turn IMAP on in your mail settings; for a work or school account, ask your "
        "administrator to allow IMAP.",
        GOOGLE_IMAP_SETTINGS,
    ),
    TOO_MANY_CONNECTIONS: Explanation(
        "The account has too many mail connections open at once.",
        "Close other mail apps or devices for a minute (Gmail allows 15 at a time), "
        "then check again.",
    ),
    THROTTLED: Explanation(
        "The provider is limiting this account for now.",
        "Wait a while (often 15 minutes to an hour) before checking again; repeated tries "
        "extend the limit.",
    ),
    BASIC_AUTH_DISABLED: Explanation(
        "This provider no longer accepts passwords of any kind over IMAP, app passwords included.",
        "Use a mail client that signs in with OAuth (Microsoft's 'modern authentication').",
        MICROSOFT_MODERN_AUTH,
    ),
    DNS_FAILED: Explanation(
        "The server's name could not be found.",
        "Check the server name for typos, and that this computer is online.",
    ),
    CONNECTION_REFUSED: Explanation(
        "Nothing accepts connections on that server and port.",
        "Check the port: IMAP uses 993 (SSL/TLS) or 143 (STARTTLS).",
    ),
    CONNECT_TIMEOUT: Explanation(
        "The server did not answer the connection attempt in time.",
        "Check the server name and port, and whether a firewall blocks outgoing mail connections.",
    ),
    GREETING_TIMEOUT: Explanation(
        "The server accepted the connection but never greeted.",
        "Check the port: this may not be a mail server's IMAP port.",
    ),
    TIMEOUT: Explanation(
        "The server stopped answering part-way through.",
        "Try again; if it keeps happening the server or the network is struggling.",
    ),
    SECURITY_MISMATCH: Explanation(
        "The connection security does not match what this port speaks.",
        "Port 993 uses SSL/TLS; port 143 uses STARTTLS.",
    ),
    POP3_PORT: Explanation(
        "This port speaks POP3, not IMAP.",
        "Use the IMAP port: 993 with SSL/TLS (995 is POP3 over SSL/TLS, 110 plain POP3).",
    ),
    SMTP_PORT: Explanation(
        "This port is for sending mail (SMTP), not for reading it.",
        "Use the IMAP port: 993 with SSL/TLS (465, 587 and 25 are SMTP).",
    ),
    NOT_IMAP: Explanation(
        "The server on this port does not speak IMAP.",
        "Check the server name and port: IMAP uses 993 (SSL/TLS) or 143 (STARTTLS).",
    ),
    SERVER_UNAVAILABLE: Explanation(
        "The server turned the connection away.",
        "The server may be overloaded or under maintenance; try again later.",
    ),
    NO_ENCRYPTION: Explanation(
        "The server does not offer STARTTLS, so the password was not sent: it would have "
        "crossed the network unencrypted.",
        "Use SSL/TLS on port 993 if the server has it, or ask the provider for encrypted access.",
    ),
    LOGIN_DISABLED: Explanation(
        "The server does not accept password logins on this connection.",
        "Check that the connection security is right; the provider may require OAuth.",
    ),
    CERT_UNTRUSTED: Explanation(
        "The server's certificate is not issued by an authority this computer trusts, so "
        "the password was not sent.",
        "Check the server name. For a private server, pass its CA with --ca-file (or "
        "IMAPKEY_CA_FILE).",
    ),
    CERT_HOSTNAME_MISMATCH: Explanation(
        "The server's certificate is for a different name, so the password was not sent.",
        "Use the server name the provider documents (the one on its certificate).",
    ),
    CERT_EXPIRED: Explanation(
        "The server's certificate has expired (or this computer's clock is wrong), so the "
        "password was not sent.",
        "Check this computer's date and time; otherwise tell the provider.",
    ),
    PROTOCOL_ERROR: Explanation(
        "The server answered in a way imapkey did not expect.",
        "The server's own words are below; try again, and report it if it persists.",
    ),
    LOCKED_OUT_LOCALLY: Explanation(
        "imapkey paused checks for this account after 3 failed logins in 15 minutes, so "
        "the provider does not lock the account.",
        "Fix the password first; wait for the pause to end, or check with --force.",
    ),
    CONNECTION_LOST: Explanation(
        "The connection was broken off (reset) part-way through.",
        "Try again. If it keeps happening, a firewall, antivirus or VPN may be cutting mail "
        "connections, or the port may be wrong.",
    ),
    POLICY_REFUSED: Explanation(
        "The provider refused this sign-in because of where it comes from or a security "
        "policy, not because of the password.",
        "Do not change the password for this. Sign in from the network or country you usually "
        "use, or allow this sign-in (or this network) in the provider's security settings; for "
        "a work or school account, ask your administrator. Then check again.",
    ),
    MAILBOX_UNAVAILABLE: Explanation(
        "The server accepted the password but then would not open the mailbox, so a mail "
        "client would fail right after signing in.",
        "The password is right. Check that the address is the mailbox's own (not an alias or "
        "a shared mailbox) and that IMAP is enabled for it; on Microsoft 365 an administrator "
        "may need to allow it. The server's own words are below.",
    ),
    AUTH_NOT_OFFERED: Explanation(
        "The sending server offers no password sign-in (SMTP AUTH) on this connection, so "
        "a mail client could not send through it.",
        "Check the server and port: mail clients send through the submission port (465 with "
        "SSL/TLS or 587 with STARTTLS), not port 25. The provider may have switched SMTP "
        "sign-in off for this account.",
    ),
    IMAP_PORT: Explanation(
        "This port is for reading mail (IMAP), not for sending it.",
        "Use the sending (SMTP) port: 465 with SSL/TLS or 587 with STARTTLS (993 and 143 are "
        "IMAP).",
    ),
    NOT_SMTP: Explanation(
        "The server on this port does not speak SMTP.",
        "Check the server name and port: sending uses 465 (SSL/TLS) or 587 (STARTTLS).",
    ),
}


def explain(outcome: str) -> Explanation:
    return _DEFAULTS[outcome]
