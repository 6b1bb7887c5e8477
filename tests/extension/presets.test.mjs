// Server presets: instant for Google addresses, then the host's suggestion.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  domainOf, instantPreset, portFor, presetFromSuggestion, providerNote, sameServer,
} from "../../extension/lib/presets.js";

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

test("the provider note follows the current settings, not the first suggestion", () => {
  const guess = presetFromSuggestion({
    server: { host: "imap.example.com", port: 993, security: "tls" },
    source: "guess",
    confirm: true,
    notes: ["No autoconfig file names it.", "imap.example.com on port 993 is only a guess."],
  });
  const suggested = { host: "imap.example.com", port: 993, security: "tls" };
  assert.deepEqual(providerNote(guess, suggested), { notes: ["No autoconfig file names it."] });
  const mine = { host: "mail.example.net", port: 143, security: "starttls" };
  assert.deepEqual(providerNote(guess, mine, { serverEdited: true }), { own: mine });
  // Same host, another port: no longer the suggested server either.
  const port = { ...suggested, port: 1993 };
  assert.deepEqual(providerNote(guess, port, { serverEdited: true }), { own: port });
  // Back to the suggestion: its notes again.
  assert.ok(providerNote(guess, { ...suggested, host: " IMAP.example.com " }, { serverEdited: true }).notes);
  // An emptied server field says nothing.
  assert.equal(providerNote(guess, { host: "", port: 993, security: "tls" }, { serverEdited: true }), null);
  assert.equal(sameServer(null, suggested), false);
});

test("a Google page password keeps the suggestion's notes until the user edits the server", () => {
  const found = presetFromSuggestion({
    server: { host: "imap.example.com", port: 993, security: "tls" },
    source: "autoconfig",
    notes: ["From example.com's own autoconfig file."],
  });
  const google = { host: "imap.gmail.com", port: 993, security: "tls" };
  assert.deepEqual(providerNote(found, google, { passwordFromPage: true }).notes,
    ["From example.com's own autoconfig file."]);
  assert.equal(providerNote(null, google), null);
});
