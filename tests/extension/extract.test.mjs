// Finding the app password and the signed-in address in Google Account pages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isGoogleAccountPage, scanPage } from "../../extension/lib/extract.js";

test("finds the grouped app password and the account label's address", () => {
  const page = {
    text: "App passwords\nGenerated app password\nYour app password for your device\nabcd efgh ijkl mnop\nHow to use it",
    labels: ["Google Account: Alice Example  \n(alice@example.com)", "Main menu"],
  };
  assert.deepEqual(scanPage(page), { password: "abcd efgh ijkl mnop", email: "alice@example.com" });
});

test("accepts non-breaking and thin spaces between the groups", () => {
  const { password } = scanPage({ text: "x\nqwer\u00a0tyui\u2009opas\u202fdfgh\ny" });
  assert.equal(password, "qwer tyui opas dfgh");
});

test("ignores longer words and uppercase runs that are not a password", () => {
  const { password } = scanPage({ text: "Manage your Google Account settings here today" });
  assert.equal(password, null);
  assert.equal(scanPage({ text: "ABCD EFGH IJKL MNOP" }).password, null);
  assert.equal(scanPage({ text: "abcde fghi jklm nopq" }).password, null);
});

test("takes the newest password when the page shows more than one", () => {
  const { password } = scanPage({ text: "aaaa bbbb cccc dddd\nthen\n  eeee ffff gggg hhhh  \n" });
  assert.equal(password, "eeee ffff gggg hhhh");
});

test("prose with four 4-letter words in a row is not a password", () => {
  assert.equal(scanPage({ text: "Once made this code will work here and there" }).password, null);
});

test("falls back to a data-email attribute, then to an address in the text", () => {
  assert.equal(scanPage({ labels: ["data-email:bob@example.org"] }).email, "bob@example.org");
  assert.equal(scanPage({ text: "Signed in as carol@example.net" }).email, "carol@example.net");
  assert.equal(scanPage({}).email, null);
});

test("only myaccount.google.com is read", () => {
  assert.ok(isGoogleAccountPage("https://myaccount.google.com/apppasswords"));
  assert.ok(!isGoogleAccountPage("https://myaccount.google.com.evil.example/apppasswords"));
  assert.ok(!isGoogleAccountPage("https://example.com/"));
  assert.ok(!isGoogleAccountPage("not a url"));
});
