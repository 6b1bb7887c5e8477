// The watch: saved accounts are re-checked in the background (chrome.alarms, once a day by
// default), and an account that worked and now fails gets the badge and one notification.
// This module decides; background.js does. No browser API here, so it runs under `node --test`.

export const ALARM = "imapkey-watch";
export const PERIOD_KEY = "watch-period"; // minutes between checks; 0 = off
export const STATE_KEY = "watch-state";
export const DEFAULT_PERIOD = 1440; // once a day
export const PERIODS = [
  { minutes: 1440, label: "Once a day" },
  { minutes: 10080, label: "Once a week" },
  { minutes: 0, label: "Off" },
];
// An alarm may fire a little early (or twice after a wake-up): a run this soon after the
// last is skipped, so no account is checked more than once a period.
const EARLY = 0.9;

// Outcomes that say nothing about the password (the network, the server's own trouble, the
// provider's or our own pause): the account's state stays what it was, and nobody is told.
const INCONCLUSIVE = new Set([
  "dns_failed", "connection_refused", "connect_timeout", "greeting_timeout", "timeout",
  "connection_lost", "server_unavailable", "throttled", "too_many_connections",
  "locked_out_locally", "protocol_error", "cancelled", "internal_error", "keyring_unavailable",
  "keyring_locked", "storage_error",
]);

// Why, in the user's words, for the causes a background check finds.
const WHY = {
  auth_failed: "the app password was revoked, or the account password changed",
  app_password_required: "the account now needs an app password",
  web_login_required: "the provider wants a sign-in in the browser first",
  account_not_found: "its password is gone from the system keyring",
  basic_auth_disabled: "the provider stopped accepting passwords for it",
};

export function accountKey(entry) {
  return `${entry.email.trim().toLowerCase()}|${entry.host.trim().toLowerCase()}`;
}

export function emptyState() {
  return { accounts: {}, lastRun: 0 };
}

// True when a background run is due: the watch is on and a period has passed.
export function due(state, periodMinutes, now) {
  if (!periodMinutes) return false;
  return now - (state?.lastRun ?? 0) >= EARLY * periodMinutes * 60000;
}

// What one recheck entry says: { works: true } | { works: false, outcome } | null (nothing
// learnt: the state stays).
export function verdict(entry) {
  if (entry.error) {
    return INCONCLUSIVE.has(entry.error.code) ? null : { works: false, outcome: entry.error.code };
  }
  const imap = entry.check?.outcome;
  const smtp = entry.smtp_outcome ?? null;
  if (imap === "ok" && (smtp === null || smtp === "ok")) return { works: true };
  const outcome = imap !== "ok" ? imap : smtp;
  const sending = imap === "ok";
  return INCONCLUSIVE.has(outcome) ? null : { works: false, outcome, sending };
}

export function reason(outcome, sending = false) {
  const why = WHY[outcome] ?? `the check said ${outcome}`;
  return sending ? `sending mail fails: ${why}` : why;
}

// Fold a recheck reply into the state. Returns the new state, the accounts that worked and
// now fail (to notify about, each once), and how many fail in all (the badge).
export function fold(state, results, now, { all = true } = {}) {
  const before = state?.accounts ?? {};
  const accounts = all ? {} : { ...before };
  const broke = [];
  for (const entry of results) {
    const key = accountKey(entry);
    const seen = verdict(entry);
    const previous = before[key];
    if (seen === null) {
      if (previous) accounts[key] = previous;
      continue;
    }
    if (!seen.works && previous?.works === true) {
      broke.push({
        email: entry.email,
        host: entry.host,
        outcome: seen.outcome,
        why: reason(seen.outcome, seen.sending),
        link: entry.check?.link ?? entry.smtp?.link ?? null,
      });
    }
    accounts[key] = { works: seen.works, outcome: seen.outcome ?? "ok", at: now };
  }
  const failing = Object.values(accounts).filter((a) => a.works === false).length;
  return { state: { accounts, lastRun: all ? now : state?.lastRun ?? 0 }, broke, failing };
}

// What the popup's own requests teach the watch: a save that worked, and the list's last
// outcomes for accounts it has not seen yet (so the first background run knows what worked).
export function learn(state, type, fields, result, now) {
  const accounts = { ...(state?.accounts ?? {}) };
  if (type === "save" && result?.saved && result.account) {
    // Sending that failed was not saved with the account, so it is not watched: the account
    // works when receiving did.
    const works = result.check ? result.check.ok : true;
    accounts[accountKey(result.account)] = { works, outcome: works ? "ok" : "saved", at: now };
  } else if (type === "list" && Array.isArray(result?.accounts)) {
    const listed = {};
    for (const account of result.accounts) {
      const key = accountKey(account);
      const sendingOk = !account.smtp || (account.last_smtp_outcome ?? "ok") === "ok";
      const ok = account.last_outcome === "ok" && sendingOk;
      listed[key] = accounts[key] ?? { works: ok, outcome: account.last_outcome ?? "saved", at: now };
    }
    return { ...state, accounts: listed }; // removed accounts leave the watch too
  } else if (type === "delete" && fields?.email) {
    const email = fields.email.trim().toLowerCase();
    for (const key of Object.keys(accounts)) {
      const [who, where] = key.split("|");
      if (who === email && (!fields.host || where === fields.host.trim().toLowerCase())) delete accounts[key];
    }
  } else {
    return state;
  }
  return { ...(state ?? emptyState()), accounts };
}

export function badgeText(failing) {
  return failing > 0 ? String(failing) : "";
}
