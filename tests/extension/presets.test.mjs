// Server presets: instant for Google addresses, then the host's suggestion.
import { test } from "node:test";
import assert from "node:assert/strict";
import { domainOf, instantPreset, portFor, presetFromSuggestion } from "../../extension/lib/presets.js";

test("Google addresses get Gmail's settings at once", () => {
  assert.deepEqual(instantPreset("a@gmail.com"), { host: "imap.gmail.com", port: 993, security: "tls", source: "preset" });
  assert.deepEqual(instantPreset("a@GoogleMail.com")?.host, "imap.gmail.com");
  assert.equal(instantPreset("a@example.com"), null);
  assert.equal(domainOf("nobody"), "");
});

test("the host's suggestion becomes form values and notes", () => {
  const preset = presetFromSuggestion({
    provider: "microsoft",
    server: { host: "outlook.office365.com", port: 993, security: "tls" },
    source: "domain",
    accepts_app_passwords: false,
    app_password_link: null,
    notes: ["Microsoft accepts no password"],
  });
  assert.equal(preset.host, "outlook.office365.com");
  assert.equal(preset.acceptsAppPasswords, false);
  assert.deepEqual(preset.notes, ["Microsoft accepts no password"]);
  assert.equal(preset.confirm, false);
  assert.equal(presetFromSuggestion(null), null);
});

test("changing security moves a default port, and keeps a custom one", () => {
  assert.equal(portFor("starttls", 993), 143);
  assert.equal(portFor("tls", 143), 993);
  assert.equal(portFor("tls", ""), 993);
  assert.equal(portFor("starttls", 1143), 1143);
});

test("a guessed server is marked for confirmation", () => {
  const preset = presetFromSuggestion({
    server: { host: "imap.example.org", port: 993, security: "tls" },
    source: "guess",
    confirm: true,
    notes: [],
  });
  assert.equal(preset.confirm, true);
  assert.equal(preset.source, "guess");
});
