// The watch's decisions: who is told, when, and what the badge says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { badgeText, due, emptyState, fold, learn, reason } from "../../extension/lib/watch.js";

const ok = (email) => ({ email, host: "imap.example.com", check: { outcome: "ok", ok: true }, smtp_outcome: null, error: null });
const refused = (email) => ({
  email, host: "imap.example.com", error: null, smtp_outcome: null,
  check: { outcome: "auth_failed", ok: false, link: "https://myaccount.google.com/apppasswords" },
});

test("an account that worked and now fails is told once, with why and the fix", () => {
  let { state } = fold(emptyState(), [ok("a@example.com"), ok("b@example.com")], 1000);
  const second = fold(state, [refused("a@example.com"), ok("b@example.com")], 2000);
  assert.equal(second.failing, 1);
  assert.equal(second.broke.length, 1);
  assert.equal(second.broke[0].email, "a@example.com");
  assert.match(second.broke[0].why, /revoked, or the account password changed/);
  assert.equal(second.broke[0].link, "https://myaccount.google.com/apppasswords");
  state = second.state;
  const third = fold(state, [refused("a@example.com"), ok("b@example.com")], 3000);
  assert.equal(third.broke.length, 0); // already failing: no second notification
  assert.equal(third.failing, 1);
  assert.equal(fold(third.state, [ok("a@example.com"), ok("b@example.com")], 4000).failing, 0);
});

test("an account never seen working is not announced; the network failing changes nothing", () => {
  const first = fold(emptyState(), [refused("a@example.com")], 1000);
  assert.equal(first.broke.length, 0);
  assert.equal(first.failing, 1);
  const working = fold(emptyState(), [ok("a@example.com")], 1000).state;
  const offline = { ...ok("a@example.com"), check: { outcome: "dns_failed", ok: false } };
  const paused = { ...ok("a@example.com"), check: { outcome: "locked_out_locally", ok: false } };
  for (const entry of [offline, paused]) {
    const after = fold(working, [entry], 2000);
    assert.equal(after.broke.length, 0);
    assert.equal(after.failing, 0);
    assert.equal(after.state.accounts["a@example.com|imap.example.com"].works, true);
  }
});

test("sending that stops working is told as such", () => {
  const working = fold(emptyState(), [ok("a@example.com")], 1000).state;
  const entry = { ...ok("a@example.com"), smtp_outcome: "auth_failed", smtp: { link: null } };
  const { broke } = fold(working, [entry], 2000);
  assert.match(broke[0].why, /^sending mail fails/);
  assert.equal(reason("basic_auth_disabled"), "the provider stopped accepting passwords for it");
});

test("at most one run a period, none when off", () => {
  const day = 1440;
  assert.equal(due({ lastRun: 0 }, day, Date.now()), true);
  assert.equal(due({ lastRun: 1000 }, day, 1000 + 3600000), false);
  assert.equal(due({ lastRun: 1000 }, day, 1000 + 86400000), true);
  assert.equal(due({ lastRun: 0 }, 0, Date.now()), false);
});

test("the popup's saves and lists teach the watch what worked", () => {
  const account = { email: "A@example.com", host: "imap.example.com" };
  let state = learn(emptyState(), "save", {}, { saved: true, account, check: { ok: true, smtp: { ok: true } } }, 5);
  assert.equal(state.accounts["a@example.com|imap.example.com"].works, true);
  // saved while sending failed: sending is not saved, so not watched; the account works
  const unsent = learn(emptyState(), "save", {}, { saved: true, account, check: { ok: true, smtp: { ok: false } } }, 5);
  assert.equal(unsent.accounts["a@example.com|imap.example.com"].works, true);
  state = learn(state, "list", {}, { accounts: [{ ...account, last_outcome: "auth_failed" }, { email: "b@x.org", host: "h", last_outcome: "ok" }] }, 6);
  assert.equal(state.accounts["a@example.com|imap.example.com"].works, true); // known already: kept
  assert.equal(state.accounts["b@x.org|h"].works, true);
  state = learn(state, "list", {}, { accounts: [] }, 7);
  assert.deepEqual(state.accounts, {});
  assert.equal(badgeText(0), "");
  assert.equal(badgeText(2), "2");
});
