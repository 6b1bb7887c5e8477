// The extension manifest: one MV3 file for Chromium and Firefox, pinned ids, fewest permissions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const manifest = JSON.parse(
  readFileSync(new URL("../../extension/manifest.json", import.meta.url), "utf8"),
);

test("is Manifest V3 with a pinned Chromium key and Firefox id", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.match(manifest.key, /^MII[A-Za-z0-9+/=]+$/);
  assert.equal(manifest.browser_specific_settings.gecko.id, "imapkey@imapkey.org");
});

test("asks for the fewest permissions: the host, reading one page, a cache, the watch", () => {
  // alarms and notifications: the watch re-checks saved accounts and says when one broke.
  assert.deepEqual(manifest.permissions.sort(), ["alarms", "nativeMessaging", "notifications", "scripting", "storage"]);
  assert.deepEqual(manifest.host_permissions, ["https://myaccount.google.com/*"]);
});

test("one content script, on the Google Account pages only: it starts the host early", () => {
  assert.deepEqual(manifest.content_scripts, [{
    matches: ["https://myaccount.google.com/*"],
    js: ["warm.js"],
    run_at: "document_start",
  }]);
  for (const pattern of manifest.content_scripts[0].matches) {
    assert.ok(manifest.host_permissions.includes(pattern), "no site beyond the host permission");
  }
});

test("one background for Chromium (service worker) and Firefox (scripts)", () => {
  assert.equal(manifest.background.service_worker, "background.js");
  assert.deepEqual(manifest.background.scripts, ["background.js"]);
  assert.equal(manifest.background.type, "module");
  assert.equal(manifest.action.default_popup, "popup.html");
});

test("speaks the user's language: English by default, each __MSG_ key in every catalogue", () => {
  assert.equal(manifest.default_locale, "en");
  const keys = [...JSON.stringify(manifest).matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]);
  assert.deepEqual(keys.sort(), ["action_title", "extension_description"]);
  for (const lang of ["en", "de"]) {
    const catalogue = JSON.parse(readFileSync(
      new URL(`../../extension/_locales/${lang}/messages.json`, import.meta.url), "utf8"));
    for (const key of keys) assert.ok(catalogue[key]?.message, `${lang}: ${key}`);
  }
});

test("icons for the toolbar and the stores, the same set in both places", () => {
  const sizes = { 16: "icons/icon-16.png", 32: "icons/icon-32.png", 48: "icons/icon-48.png", 128: "icons/icon-128.png" };
  assert.deepEqual(manifest.icons, sizes);
  assert.deepEqual(manifest.action.default_icon, sizes);
});

test("declares to Firefox what it really transmits: the address and the app password", () => {
  // Both go to the local imapkey host only; AMO still counts them (see docs/PRIVACY.md).
  const { required } = manifest.browser_specific_settings.gecko.data_collection_permissions;
  assert.deepEqual(required, ["authenticationInfo", "personallyIdentifyingInfo"]);
});
