// early.js, the popup's first classic script: what it sends at once, and the native-submit guard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../extension/early.js", import.meta.url), "utf8");

const GOOGLE = "https://myaccount.google.com/apppasswords";

function run({ sendMessage, stored = {}, search = "", tabs = {}, inject, getTab } = {}) {
  const sent = [];
  const listeners = [];
  const injected = [];
  const chrome = {
    tabs: {
      get: getTab ?? (async (id) => tabs[id] ?? { id }),
      query: async (query) => [tabs.active ?? { id: 1, query }],
    },
    scripting: {
      executeScript: async (details) => {
        injected.push(details);
        return inject ? inject(details) : [{ result: { url: GOOGLE, text: "page text" } }];
      },
    },
    runtime: {
      sendMessage: sendMessage ?? (async (message) => {
        sent.push(message);
        return { ok: true, result: { echo: message.type } };
      }),
      getURL: (path) => `chrome-extension://id/${path}`,
    },
    storage: { local: { get: async (key) => ({ [key]: stored[key] }) } },
  };
  const document = {
    addEventListener: (type, listener, capture) => listeners.push({ type, listener, capture }),
  };
  const fetch = async (url) => ({ json: async () => ({ url }) });
  const context = vm.createContext({
    chrome, document, fetch, Promise, Object, String, Number, URL, URLSearchParams,
    location: { search },
  });
  vm.runInContext(SOURCE, context);
  return { early: context.imapkeyEarly, sent, listeners, injected };
}

test("the two list requests leave at once, before anything else has loaded", async () => {
  const { early, sent } = run();
  await Promise.all([early.lists.quick, early.lists.full]);
  assert.deepEqual(JSON.parse(JSON.stringify(sent)), [ // made in the script's own realm
    { kind: "host", type: "list", fields: { secrets: false } },
    { kind: "host", type: "list", fields: {} },
  ]);
  assert.deepEqual(await early.lists.quick, { ok: true, result: { echo: "list" } });
});

test("a background that cannot be reached answers like a host that stopped", async () => {
  const { early } = run({ sendMessage: async () => { throw new Error("Receiving end does not exist."); } });
  const reply = await early.send("hello");
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "host_exited");
  assert.match(reply.error.message, /Receiving end/);
});

test("the cached list and the English catalogue are asked for too", async () => {
  const { early } = run({ stored: { "accounts-cache": [{ email: "a@example.com" }] } });
  assert.deepEqual(await early.cached, [{ email: "a@example.com" }]);
  assert.deepEqual(await early.english, { url: "chrome-extension://id/_locales/en/messages.json" });
  assert.equal(early.CACHE_KEY, "accounts-cache");
});

test("a native form submission is stopped before popup.js has loaded", () => {
  const { listeners } = run();
  const guard = listeners.find((l) => l.type === "submit");
  assert.ok(guard, "a submit listener is installed");
  assert.equal(guard.capture, true);
  let prevented = false;
  guard.listener({ preventDefault: () => { prevented = true; } });
  assert.equal(prevented, true);
});

test("the page is read with lib/collect.js, in the tab named by ?tab=", async () => {
  const { early, injected } = run({ search: "?tab=7", tabs: { 7: { id: 7, url: GOOGLE } } });
  const page = await early.page;
  assert.deepEqual(JSON.parse(JSON.stringify(page)), { url: GOOGLE, seen: { url: GOOGLE, text: "page text" } });
  assert.deepEqual(JSON.parse(JSON.stringify(injected)), [{ target: { tabId: 7 }, files: ["lib/collect.js"] }]);
});

test("without ?tab= the active tab is read", async () => {
  const { early, injected } = run({ tabs: { active: { id: 3, url: GOOGLE } } });
  assert.equal((await early.page).url, GOOGLE);
  assert.equal(injected[0].target.tabId, 3);
});

test("a tab that is no Google Account page is never read, whatever its URL shows", async () => {
  for (const url of ["https://bank.example/", "http://myaccount.google.com/", "https://myaccount.google.com.evil.example/", "file:///etc/passwd", "about:blank"]) {
    const { early, injected } = run({ tabs: { active: { id: 3, url } } });
    assert.deepEqual(JSON.parse(JSON.stringify(await early.page)), { url, seen: null }, url);
    assert.equal(injected.length, 0, url);
  }
});

test("a tab whose URL the extension may not see is not read", async () => {
  const { early, injected } = run({ tabs: { active: { id: 3 } } }); // no host permission: no url
  assert.deepEqual(JSON.parse(JSON.stringify(await early.page)), { url: null, seen: null });
  assert.equal(injected.length, 0);
});

test("a page that cannot be read, or a tab that is gone, gives no rejection", async () => {
  const refused = run({ tabs: { active: { id: 3, url: GOOGLE } }, inject: async () => { throw new Error("Cannot access contents"); } });
  assert.deepEqual(JSON.parse(JSON.stringify(await refused.early.page)), { url: GOOGLE, seen: null });
  const gone = run({ search: "?tab=9", getTab: async () => { throw new Error("No tab with id: 9."); } });
  assert.deepEqual(JSON.parse(JSON.stringify(await gone.early.page)), { url: null, seen: null });
  assert.equal(gone.injected.length, 0);
});

test("collect.js, run as executeScript runs a file (a Script, twice), evaluates to what it saw and leaves no global", () => {
  const source = readFileSync(new URL("../../extension/lib/collect.js", import.meta.url), "utf8");
  const element = (attrs) => ({ getAttribute: (name) => attrs[name] ?? null });
  const document = {
    querySelectorAll: (selector) => (selector.includes("aria-label")
      ? [element({ "aria-label": "Google Account: Demo (demo@example.com)" })] : []),
    body: { innerText: "abcd efgh ijkl mnop" },
  };
  const context = vm.createContext({ document, location: { href: "https://myaccount.google.com/apppasswords" } });
  const before = Object.keys(context).sort();
  for (let i = 0; i < 2; i += 1) { // a second popup on the same page injects it again
    const seen = new vm.Script(source).runInContext(context);
    assert.deepEqual(JSON.parse(JSON.stringify(seen)), {
      url: "https://myaccount.google.com/apppasswords",
      text: "abcd efgh ijkl mnop",
      labels: ["Google Account: Demo (demo@example.com)"],
      dialogs: [],
    });
  }
  assert.deepEqual(Object.keys(context).sort(), before);
});
