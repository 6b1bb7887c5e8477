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

export function sameServer(a, b) {
  return Boolean(a && b) && a.host.trim().toLowerCase() === b.host.trim().toLowerCase() &&
    Number(a.port) === Number(b.port) && a.security === b.security;
}

// What the note under the password says, following the form's current settings: the
// suggestion's notes while the form uses the suggested server (or Google's, for a password
// read from Google's page), the user's own server once they set another one, else nothing.
// → { notes: [...] } | { own: server } | null
export function providerNote(preset, current, { serverEdited = false, passwordFromPage = false } = {}) {
  const own = serverEdited && current?.host?.trim() ? { own: current } : null;
  if (!preset) return own;
  if (sameServer(preset, current) || (passwordFromPage && !serverEdited)) {
    // For a guess, the confirmation box says the rest (and offers to confirm).
    const notes = preset.confirm ? (preset.notes ?? []).slice(0, 1) : preset.notes ?? [];
    return notes.length ? { notes } : null;
  }
  return own;
}
