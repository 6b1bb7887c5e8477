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

test("one background for Chromium (service worker) and Firefox (scripts)", () => {
  assert.equal(manifest.background.service_worker, "background.js");
  assert.deepEqual(manifest.background.scripts, ["background.js"]);
  assert.equal(manifest.background.type, "module");
  assert.equal(manifest.action.default_popup, "popup.html");
});
