// The popup's words: the catalogue's placeholder rules, and the host's English recognised by
// its code (default words, known specific words with their values) or kept as it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { format, Texts } from "../../extension/lib/i18n.js";

const load = (lang) => JSON.parse(
  readFileSync(new URL(`../../extension/_locales/${lang}/messages.json`, import.meta.url), "utf8"));
const english = load("en");
const german = load("de");

// What the browser's getMessage does with one catalogue (Chrome's rules), for the tests.
const getter = (catalogue) => (key, subs) => format(catalogue[key], subs);
const inEnglish = new Texts({ english, locale: "en" });
const inGerman = new Texts({ english, getMessage: getter(german), locale: "de" });

test("format follows Chrome's rules: named placeholders, $1…$9, $$", () => {
  const entry = { message: "Use $HOST$ on $1, $$5", placeholders: { host: { content: "$2" } } };
  assert.equal(format(entry, ["a", "b"]), "Use b on a, $5");
  assert.equal(format(undefined), "");
});

test("without the browser API the English catalogue answers, and a missing key shows itself", () => {
  const texts = new Texts({ english });
  assert.equal(texts.t("check"), "Check");
  assert.equal(texts.t("use_server", "imap.example.org"), "Use imap.example.org");
  assert.equal(texts.t("no_such_key"), "no_such_key");
  assert.equal(texts.lang, "en");
  const broken = new Texts({ english, getMessage: () => { throw new Error("no i18n here"); } });
  assert.equal(broken.t("check"), "Check");
});

test("an outcome's default English is shown in the user's language by its code", () => {
  const host = "The server refused this address and password.";
  assert.deepEqual(inGerman.outcome("auth_failed", "message", host),
    { text: "Der Server hat diese Adresse und dieses Passwort abgelehnt.", lang: "de" });
  assert.deepEqual(inEnglish.outcome("auth_failed", "message", host), { text: host, lang: "en" });
  // Whitespace differences (a wrapped line) do not matter.
  assert.equal(inGerman.outcome("auth_failed", "message", `  The server refused\nthis address and password. `).lang, "de");
  // No text from the host: the code's own words.
  assert.equal(inGerman.outcome("ok", "message").text, "Angemeldet: Dieses Passwort funktioniert für IMAP.");
});

test("known specific words are translated with the values the host put in", () => {
  const host = "Port 1143 speaks plain IMAP that is upgraded with STARTTLS, but SSL/TLS was chosen.";
  assert.deepEqual(inGerman.outcome("security_mismatch", "message", host), {
    text: "Port 1143 spricht unverschlüsseltes IMAP, das mit STARTTLS verschlüsselt wird, gewählt wurde aber SSL/TLS.",
    lang: "de",
  });
  const hint = "Choose SSL/TLS for this port (993), or STARTTLS with port 143.";
  assert.equal(inGerman.outcome("security_mismatch", "hint", hint).text,
    "Wählen Sie SSL/TLS für diesen Port (993) oder STARTTLS mit Port 143.");
  assert.equal(inEnglish.outcome("security_mismatch", "message", host).text, host);
});

test("unknown specific words keep the host's English: alone in English, after the translation otherwise", () => {
  const host = "The server said something nobody has translated yet.";
  assert.deepEqual(inEnglish.outcome("protocol_error", "message", host), { text: host, lang: "en" });
  assert.deepEqual(inGerman.outcome("protocol_error", "message", host), {
    text: "Der Server hat auf eine Weise geantwortet, die imapkey nicht erwartet hat.",
    lang: "de",
    original: host,
  });
});

test("a code the extension does not know shows the host's English", () => {
  const host = "The SMTP server refused the sender.";
  assert.deepEqual(inGerman.outcome("smtp_sender_refused", "message", host), { text: host, lang: "en" });
  assert.deepEqual(inGerman.error("brand_new_error", "message", host), { text: host, lang: "en" });
  assert.equal(inGerman.stage("ehlo"), "ehlo");
  assert.equal(inGerman.stage("login"), "Anmeldung");
});

test("host errors: the code's words, with the host's specific English kept", () => {
  const host = "Unlock the keyring 'login' first.";
  const said = inGerman.error("keyring_locked", "message", host);
  assert.equal(said.text, "Der Systemschlüsselbund ist gesperrt.");
  assert.equal(said.original, host);
  assert.deepEqual(inEnglish.error("keyring_locked", "message", host), { text: host, lang: "en" });
});

test("the host's save, delete and warning texts are recognised exactly, else kept", () => {
  const keys = ["save_saved", "save_rotated", "save_nothing", "save_kept"];
  assert.equal(inGerman.known(keys, "Saved in the system keyring, replacing the previous password.").text,
    "Im Systemschlüsselbund gespeichert; das vorige Passwort wurde ersetzt.");
  assert.deepEqual(inGerman.known(keys, "Saved somewhere new."), { text: "Saved somewhere new.", lang: "en" });
});

test("numbers, durations and dates follow the browser's locale", () => {
  assert.equal(inGerman.number(1234), "1.234");
  assert.equal(inEnglish.number(1234), "1,234");
  assert.equal(inGerman.ms(1234.4), "1.234 ms");
  assert.equal(inEnglish.ms(2), "2 ms");
  const stamp = "2026-03-05T14:07:00Z";
  assert.match(inGerman.date(stamp), /05\.03\.2026|5\. März 2026/);
  assert.match(inEnglish.date(stamp), /Mar 5, 2026/);
});

test("both catalogues have the same keys and the same placeholders", () => {
  assert.deepEqual(Object.keys(german).sort(), Object.keys(english).sort());
  for (const [key, entry] of Object.entries(english)) {
    const names = (e) => Object.keys(e.placeholders ?? {}).sort();
    assert.deepEqual(names(german[key]), names(entry), `placeholders of ${key}`);
    assert.ok(german[key].message.trim(), `German ${key} is empty`);
  }
  assert.equal(german.lang.message, "de");
});

test("every string of popup.html is in the English catalogue, word for word", () => {
  const html = readFileSync(new URL("../../extension/popup.html", import.meta.url), "utf8");
  const found = [...html.matchAll(/data-i18n="([a-z0-9_]+)"[^>]*>([^<]*)</g)];
  assert.ok(found.length > 15);
  for (const [, key, text] of found) {
    assert.equal(text.replace(/\s+/g, " ").trim(), english[key]?.message, `popup.html's ${key}`);
  }
  for (const [, key] of html.matchAll(/data-i18n-aria-label="([a-z0-9_]+)"/g)) assert.ok(english[key], key);
});

test("the host's notes on a suggestion are translated when known, with their values", () => {
  assert.deepEqual(inGerman.note("From example.org's own autoconfig file."),
    { text: "Aus der eigenen Autoconfig-Datei von example.org.", lang: "de" });
  assert.equal(inGerman.note("example.org's mail is hosted by Google (its MX says so).").text,
    "Die E-Mail von example.org liegt bei Google (so sagt es ihr MX-Eintrag).");
  assert.equal(inGerman.note("Yahoo needs an app password for IMAP.").text,
    "Yahoo verlangt für IMAP ein App-Passwort.");
  assert.deepEqual(inGerman.note("A note nobody translated."), { text: "A note nobody translated.", lang: "en" });
  assert.equal(inEnglish.note("From example.org's own autoconfig file.").text,
    "From example.org's own autoconfig file.");
});
