// early.js, the popup's first classic script: what it sends at once, and the native-submit guard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../extension/early.js", import.meta.url), "utf8");

function run({ sendMessage, stored = {} } = {}) {
  const sent = [];
  const listeners = [];
  const chrome = {
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
  const context = vm.createContext({ chrome, document, fetch, Promise, Object, String });
  vm.runInContext(SOURCE, context);
  return { early: context.imapkeyEarly, sent, listeners };
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
