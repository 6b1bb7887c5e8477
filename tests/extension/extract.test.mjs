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
  assert.ok(!isGoogleAccountPage("http://myaccount.google.com/apppasswords")); // never unencrypted
  assert.ok(isGoogleAccountPage("https://myaccount.google.com:8443/apppasswords")); // as the permission
});

// --- The page as Google renders it (what collect.js returns for its modal dialog) -----------

const modal = (parts, text = "") => ({ modal: true, text, parts });

test("per-letter spans joined without separators (groups spaced by CSS only)", () => {
  const page = { dialogs: [modal(["Generated app password", "qwertyuiopasdfgh"])] };
  assert.equal(scanPage(page).password, "qwer tyui opas dfgh");
});

test("per-letter spans with spaces, no-break, thin or ideographic spaces between groups", () => {
  for (const sep of [" ", "\u00a0", "\u2009", "\u202f", "\u3000", " \u200b"]) {
    const text = ["zxcv", "bnml", "kjhg", "fdsa"].join(sep);
    assert.equal(scanPage({ dialogs: [modal([text])] }).password, "zxcv bnml kjhg fdsa", JSON.stringify(sep));
  }
});

test("spans on lines of their own (whitespace between every letter)", () => {
  const part = "p l o k m i j n u h b y g v t f";
  assert.equal(scanPage({ dialogs: [modal([part])] }).password, "plok mijn uhby gvtf");
});

test("the dialog's rendered text, when no element holds the password alone", () => {
  assert.equal(scanPage({ dialogs: [modal([], "Title\nabcdefghijklmnop\nDone")] }).password, "abcd efgh ijkl mnop");
  assert.equal(scanPage({ dialogs: [modal([], "Title\nabcd\u00a0efgh ijkl mnop\nDone")] }).password, "abcd efgh ijkl mnop");
});

test("16 contiguous letters count only inside the dialog, never in the page's prose", () => {
  assert.equal(scanPage({ text: "x\nabcdefghijklmnop\ny" }).password, null);
  assert.equal(scanPage({ dialogs: [modal(["Seventeen letters: abcdefghijklmnopq"])] }).password, null);
  assert.equal(scanPage({ dialogs: [modal(["abcdefghijklmnopq"])] }).password, null);
  assert.equal(scanPage({ dialogs: [modal(["ABCDEFGHIJKLMNOP"])] }).password, null);
});

test("the modal outranks other dialogs and the page's own text", () => {
  const page = {
    text: "aaaa bbbb cccc dddd",
    dialogs: [{ modal: false, text: "", parts: ["eeeeffffgggghhhh"] }, modal(["iiiijjjjkkkkllll"])],
  };
  assert.equal(scanPage(page).password, "iiii jjjj kkkk llll");
});

test("the account label's address in any UI language", () => {
  const labels = {
    en: "Google Account: Some One\n(someone@gmail.com)",
    de: "Google-Konto: Erika Mustermann\n(someone@gmail.com)",
    es: "Cuenta de Google: Ana García\n(someone@gmail.com)",
    fr: "Compte Google : Jean Dupont\n(someone@gmail.com)",
    ko: "Google 계정: 김민준\n(someone@gmail.com)",
    ja: "Google アカウント: 山田太郎\n(someone@gmail.com)",
    ru: "Аккаунт Google: Иван Петров\n(someone@gmail.com)",
    ar: "حساب Google: أحمد علي\n(someone@gmail.com)",
    zh: "Google 账号：王伟\n（someone@gmail.com）",
    hi: "Google खाता: राहुल\n(someone@gmail.com) ",
  };
  for (const [lang, label] of Object.entries(labels)) {
    assert.equal(scanPage({ labels: ["Google apps", label] }).email, "someone@gmail.com", lang);
  }
});

test("the label naming Google wins over another label ending in an address", () => {
  const labels = ["Share with (friend@example.org)", "Google-Konto: Erika\n(erika@firma.example)"];
  assert.equal(scanPage({ labels }).email, "erika@firma.example");
});

test("nothing on the page gives nulls (the popup then says so)", () => {
  assert.deepEqual(scanPage({ text: "App passwords\nNo app passwords yet", labels: ["Google apps"], dialogs: [] }),
    { password: null, email: null });
});
