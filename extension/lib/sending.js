// Sending (SMTP submission), checked side by side with receiving: which sending server a
// request names, and how a reply with both reads. No browser API, so it runs under `node --test`.

// A password read from Google's page sends through Google's server.
export const GOOGLE_SMTP = Object.freeze({ host: "smtp.gmail.com", port: 465, security: "tls" });
export const SMTP_PORTS = { tls: 465, starttls: 587 };

// The sending server from the host's `suggest` answer (its `submission`), or null.
export function smtpFromSuggestion(suggestion) {
  const sub = suggestion?.submission;
  if (!sub?.host) return null;
  return { host: sub.host, port: sub.port, security: sub.security };
}

// The `smtp` field of a check or save: Google's for a password read from Google's page unless
// the user typed a sending server themselves; else the server in the fields (typed, or filled
// in from a suggestion that is not a guess); else `true` (the host takes the provider's
// sending server, and refuses a guess).
export function smtpField({ host, port, security }, passwordFromPage, edited = false) {
  if (passwordFromPage && !edited) return { ...GOOGLE_SMTP };
  const name = (host ?? "").trim();
  if (name) {
    const sec = security === "starttls" ? "starttls" : "tls";
    return { host: name, port: Number(port) || SMTP_PORTS[sec], security: sec };
  }
  return true;
}

// The port that goes with a security choice for sending, unless the user set another one.
export function smtpPortFor(security, currentPort) {
  const known = Object.values(SMTP_PORTS);
  if (!currentPort || known.includes(Number(currentPort))) return SMTP_PORTS[security];
  return Number(currentPort);
}

// Both worked: receiving ok, and sending ok when it was asked for.
export function bothOk(result) {
  if (!result?.ok) return false;
  if (!("smtp" in result) && !("smtp_error" in result)) return true;
  return result.smtp?.ok === true;
}
