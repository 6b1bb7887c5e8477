// Which sending server the popup asks the host to check, and when a reply with both is a success.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bothOk, GOOGLE_SMTP, smtpField, smtpFromSuggestion, smtpPortFor } from "../../extension/lib/sending.js";

test("the sending server typed wins; Google's for Google's password; else the provider's", () => {
  assert.deepEqual(smtpField({ host: " smtp.example.org ", port: "", security: "starttls" }, false),
    { host: "smtp.example.org", port: 587, security: "starttls" });
  assert.deepEqual(smtpField({ host: "localhost", port: "2465", security: "tls" }, true, true),
    { host: "localhost", port: 2465, security: "tls" });
  // a server filled in from a suggestion never gets the password read from Google's page
  assert.deepEqual(smtpField({ host: "smtp.example.org", port: "465", security: "tls" }, true, false), GOOGLE_SMTP);
  assert.deepEqual(smtpField({ host: "", port: "", security: "tls" }, true), GOOGLE_SMTP);
  assert.equal(smtpField({ host: "", port: "", security: "tls" }, false), true);
});

test("suggest's submission becomes the sending fields", () => {
  assert.deepEqual(smtpFromSuggestion({ submission: { host: "smtp.gmail.com", port: 465, security: "tls" } }),
    { host: "smtp.gmail.com", port: 465, security: "tls" });
  assert.equal(smtpFromSuggestion({ submission: null }), null);
  assert.equal(smtpFromSuggestion(null), null);
});

test("the port follows the security unless the user chose another", () => {
  assert.equal(smtpPortFor("starttls", "465"), 587);
  assert.equal(smtpPortFor("tls", ""), 465);
  assert.equal(smtpPortFor("tls", "2525"), 2525);
});

test("a reply works only when both work", () => {
  assert.equal(bothOk({ ok: true }), true); // sending not asked for
  assert.equal(bothOk({ ok: true, smtp: { ok: true }, smtp_error: null }), true);
  assert.equal(bothOk({ ok: true, smtp: { ok: false }, smtp_error: null }), false);
  assert.equal(bothOk({ ok: true, smtp: null, smtp_error: { code: "server_unconfirmed" } }), false);
  assert.equal(bothOk({ ok: false, smtp: { ok: true } }), false);
});
