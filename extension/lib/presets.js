// Form values from the host's `suggest` answer, and the instant preset for Google addresses
// (the page this extension serves) so the form is complete before the host has answered.

// A password read from Google's page belongs to Google's server, whatever the address's domain.
export const GOOGLE = Object.freeze({ host: "imap.gmail.com", port: 993, security: "tls" });
const GOOGLE_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

export const DEFAULT_PORTS = { tls: 993, starttls: 143 };

export function domainOf(email) {
  const at = (email ?? "").lastIndexOf("@");
  return at < 0 ? "" : email.slice(at + 1).trim().toLowerCase();
}

export function instantPreset(email) {
  return GOOGLE_DOMAINS.has(domainOf(email)) ? { ...GOOGLE, source: "preset" } : null;
}

export function presetFromSuggestion(suggestion) {
  if (!suggestion?.server) return null;
  const { host, port, security } = suggestion.server;
  return {
    host,
    port,
    security,
    source: suggestion.source,
    // Only a guess (or an unauthenticated record pointing elsewhere): the user must confirm it
    // before any password is sent there.
    confirm: suggestion.confirm === true,
    notes: suggestion.notes ?? [],
    acceptsAppPasswords: suggestion.accepts_app_passwords !== false,
    appPasswordLink: suggestion.app_password_link ?? null,
  };
}

// The port that goes with a security choice, unless the user set another one.
export function portFor(security, currentPort) {
  const known = Object.values(DEFAULT_PORTS);
  if (!currentPort || known.includes(Number(currentPort))) return DEFAULT_PORTS[security];
  return Number(currentPort);
}
