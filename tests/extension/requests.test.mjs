// The background relays only the popup's own requests, with the fields each operation takes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromGooglePage, fromPopup, REFUSED, vetRequest } from "../../extension/lib/requests.js";

const ID = "abcdefghijklmnopabcdefghijklmnop";
const POPUP = `chrome-extension://${ID}/popup.html`;

test("only the extension's own popup page counts as the popup", () => {
  assert.equal(fromPopup({ id: ID, url: POPUP }, ID, POPUP), true);
  assert.equal(fromPopup({ id: ID, url: `${POPUP}?tab=7`, tab: { id: 3 } }, ID, POPUP), true);
  // the isolated world a content script leaves on the Google page
  assert.equal(fromPopup({ id: ID, url: "https://myaccount.google.com/apppasswords", tab: { id: 7 } }, ID, POPUP), false);
  assert.equal(fromPopup({ id: "another-extension", url: POPUP }, ID, POPUP), false);
  assert.equal(fromPopup({ id: ID, url: `chrome-extension://${ID}/other.html` }, ID, POPUP), false);
  assert.equal(fromPopup({ id: ID }, ID, POPUP), false);
  assert.equal(fromPopup(undefined, ID, POPUP), false);
});

test("only this extension's script in a Google Account tab's top frame counts as the Google page", () => {
  const tab = { id: 7 };
  const page = (url, more = {}) => ({ id: ID, url, tab, frameId: 0, ...more });
  assert.equal(fromGooglePage(page("https://myaccount.google.com/apppasswords"), ID), true);
  assert.equal(fromGooglePage(page("https://myaccount.google.com/security?hl=de"), ID), true);
  assert.equal(fromGooglePage(page("https://myaccount.google.com/", { id: "another-extension" }), ID), false);
  assert.equal(fromGooglePage(page("https://myaccount.google.com/", { frameId: 3 }), ID), false); // an iframe
  assert.equal(fromGooglePage(page("https://myaccount.google.com/", { frameId: undefined }), ID), false);
  assert.equal(fromGooglePage(page("http://myaccount.google.com/"), ID), false);
  assert.equal(fromGooglePage(page("https://myaccount.google.com.evil.example/"), ID), false);
  assert.equal(fromGooglePage(page("https://accounts.google.com/"), ID), false);
  assert.equal(fromGooglePage(page("https://myaccount.google.com/", { tab: undefined }), ID), false);
  assert.equal(fromGooglePage({ id: ID, url: POPUP }, ID), false);
  assert.equal(fromGooglePage(page("not a url"), ID), false);
  assert.equal(fromGooglePage(undefined, ID), false);
});

test("allowed requests pass with their fields", () => {
  assert.deepEqual(vetRequest({ kind: "host", type: "list" }), { type: "list", fields: {} });
  assert.deepEqual(
    vetRequest({ kind: "host", type: "list", fields: { secrets: false } }),
    { type: "list", fields: { secrets: false } },
  );
  assert.deepEqual(
    vetRequest({ kind: "host", type: "suggest", fields: { email: "a@b.c", lookup: false } }),
    { type: "suggest", fields: { email: "a@b.c", lookup: false } },
  );
  const server = { host: "imap.gmail.com", port: 993, security: "tls" };
  assert.deepEqual(
    vetRequest({ kind: "host", type: "save", fields: { email: "a@b.c", password: "p", server } }),
    { type: "save", fields: { email: "a@b.c", password: "p", server } },
  );
});

test("unknown types, extra fields, CA files and an unverified save are refused", () => {
  const refused = (message) => assert.throws(() => vetRequest(message), (e) => e.code === REFUSED);
  refused({ kind: "host", type: "shutdown" });
  refused({ kind: "host", type: "toString" });
  refused({ kind: "other", type: "list" });
  refused({ kind: "host", type: "save", fields: { email: "a@b.c", password: "p", verify: false } });
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", password: "p", timeout: 1 } });
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", server: { host: "h", port: 1, security: "tls", ca_file: "/x" } } });
  refused({ kind: "host", type: "list", fields: { id: "r1" } });
  refused({ kind: "host", type: "list", fields: { v: 2 } });
  refused({ kind: "host", type: "check", fields: { email: ["a@b.c"] } });
  refused({ kind: "host", type: "check", fields: "email" });
});

test("smtp is relayed for check and save as true or a server, with no other fields", () => {
  const smtp = { host: "smtp.gmail.com", port: 465, security: "tls" };
  assert.deepEqual(
    vetRequest({ kind: "host", type: "check", fields: { email: "a@b.c", password: "p", smtp: true } }),
    { type: "check", fields: { email: "a@b.c", password: "p", smtp: true } },
  );
  assert.deepEqual(
    vetRequest({ kind: "host", type: "save", fields: { email: "a@b.c", password: "p", smtp } }),
    { type: "save", fields: { email: "a@b.c", password: "p", smtp } },
  );
  const refused = (message) => assert.throws(() => vetRequest(message), (e) => e.code === REFUSED);
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", smtp: { ...smtp, ca_file: "/x" } } });
  refused({ kind: "host", type: "save", fields: { email: "a@b.c", password: "p", smtp: { ...smtp, port: "465" } } });
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", smtp: "yes" } });
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", smtp: null } });
  refused({ kind: "host", type: "check", fields: { email: "a@b.c", smtp: [smtp] } });
  refused({ kind: "host", type: "recheck", fields: { email: "a@b.c", smtp: true } });
});
