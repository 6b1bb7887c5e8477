// boot.js: what counts as the Google Account page, from what early.js saw.
import { test } from "node:test";
import assert from "node:assert/strict";

const GOOGLE = "https://myaccount.google.com/apppasswords";
const PAGE = { url: GOOGLE, text: "abcd efgh ijkl mnop", labels: ["Google Account: D (d@example.com)"], dialogs: [] };

// A fresh boot.js (a module is evaluated once per URL) over early.js's promises.
async function boot(page) {
  const settled = Promise.resolve({ ok: true, result: {} });
  globalThis.imapkeyEarly = {
    CACHE_KEY: "accounts-cache",
    send: async () => settled,
    lists: { quick: settled, full: settled },
    cached: Promise.resolve(undefined),
    english: Promise.resolve({}),
    page: Promise.resolve(page),
  };
  return import(`../../extension/boot.js?${Math.random()}`);
}

test("the Google Account page's password and address are found", async () => {
  const { pageFound } = await boot({ url: GOOGLE, seen: PAGE });
  assert.deepEqual(await pageFound, { password: "abcd efgh ijkl mnop", email: "d@example.com" });
});

test("no Google Account page, or no tab: nothing to say (no note)", async () => {
  assert.equal(await (await boot({ url: "https://example.com/", seen: PAGE })).pageFound, null);
  assert.equal(await (await boot({ url: null, seen: null })).pageFound, null);
});

test("the Google page unreadable, or the document read another: found nothing", async () => {
  const none = { password: null, email: null };
  assert.deepEqual(await (await boot({ url: GOOGLE, seen: null })).pageFound, none);
  const moved = { ...PAGE, url: "https://example.com/elsewhere" };
  assert.deepEqual(await (await boot({ url: GOOGLE, seen: moved })).pageFound, none);
});
