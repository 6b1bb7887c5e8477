// Request correlation, timeouts, a missing host, reconnection and the idle close.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  HOST_EXITED, HOST_FORBIDDEN, HOST_MISSING, NativeClient, REQUEST_TIMEOUT,
} from "../../extension/lib/rpc.js";

function fakePort() {
  const port = {
    sent: [],
    messageListeners: [],
    disconnectListeners: [],
    disconnected: false,
    postMessage(m) { this.sent.push(m); },
    disconnect() { this.disconnected = true; },
    onMessage: { addListener(f) { port.messageListeners.push(f); } },
    onDisconnect: { addListener(f) { port.disconnectListeners.push(f); } },
    reply(m) { for (const f of this.messageListeners) f(m); },
    die(error) { for (const f of this.disconnectListeners) f({ error }); },
  };
  return port;
}

test("replies are matched to their requests by id, in any order", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port);
  const a = client.request("check", { email: "a@x" });
  const b = client.request("hello");
  assert.deepEqual(port.sent.map((m) => [m.v, m.type]), [[1, "check"], [1, "hello"]]);
  port.reply({ v: 1, id: port.sent[1].id, ok: true, result: { protocol: 1 } });
  port.reply({ v: 1, id: port.sent[0].id, ok: false, error: { code: "invalid_request", message: "m", hint: "h" } });
  assert.deepEqual(await b, { protocol: 1 });
  await assert.rejects(a, (e) => e.code === "invalid_request" && e.hint === "h");
  client.close();
});

test("a request with no answer times out, and a late answer is ignored", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port, { timeoutMs: 20 });
  const pending = client.request("hello");
  await assert.rejects(pending, (e) => e.code === REQUEST_TIMEOUT);
  port.reply({ v: 1, id: port.sent[0].id, ok: true, result: {} });
  client.close();
});

test("a missing host is told apart from one that exited", async () => {
  const ports = [];
  const client = new NativeClient(() => { const p = fakePort(); ports.push(p); return p; });
  const first = client.request("hello");
  ports[0].die({ message: "Specified native messaging host not found." });
  await assert.rejects(first, (e) => e.code === HOST_MISSING);
  const second = client.request("hello");
  assert.equal(ports.length, 2, "reconnects on the next request");
  ports[1].die({ message: "Native host has exited." });
  await assert.rejects(second, (e) => e.code === HOST_EXITED);
  const third = client.request("hello");
  ports[2].die({ message: "No such native application org.imapkey.host" });
  await assert.rejects(third, (e) => e.code === HOST_MISSING);
});

test("a host that forbids this extension's id is told apart from a missing one", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port);
  const pending = client.request("hello");
  port.die({ message: "Access to the specified native messaging host is forbidden." });
  await assert.rejects(pending, (e) => e.code === HOST_FORBIDDEN && /forbidden/.test(e.message));
});

test("the port is reused while warm and closed after the idle period", async () => {
  let connects = 0;
  const port = fakePort();
  const client = new NativeClient(() => { connects++; return port; }, { idleMs: 20 });
  const one = client.request("hello");
  port.reply({ v: 1, id: port.sent[0].id, ok: true, result: {} });
  await one;
  const two = client.request("list");
  port.reply({ v: 1, id: port.sent[1].id, ok: true, result: { accounts: [] } });
  await two;
  assert.equal(connects, 1);
  await new Promise((r) => setTimeout(r, 40));
  assert.ok(port.disconnected);
});

test("a caller's fields can never set the envelope (id, v, type)", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port);
  const pending = client.request("list", { id: "stolen", v: 9, type: "delete" });
  const [sent] = port.sent;
  assert.deepEqual([sent.v, sent.type], [1, "list"]);
  assert.notEqual(sent.id, "stolen");
  port.reply({ v: 1, id: sent.id, ok: true, result: { accounts: [] } });
  assert.deepEqual(await pending, { accounts: [] });
  client.close();
});

test("warm starts the host with one hello, and does nothing more while a port is open", async () => {
  let opened = 0;
  const port = fakePort();
  const client = new NativeClient(() => { opened += 1; return port; });
  client.warm();
  assert.equal(opened, 1);
  assert.deepEqual(port.sent.map((m) => m.type), ["hello"]);
  client.warm();
  assert.deepEqual(port.sent.map((m) => m.type), ["hello"]);
  // the popup's request, made while the host is still starting, shares the warmed port
  const list = client.request("list");
  assert.equal(opened, 1);
  port.reply({ v: 1, id: port.sent[0].id, ok: true, result: { protocol: 1 } });
  port.reply({ v: 1, id: port.sent[1].id, ok: true, result: { accounts: [] } });
  assert.deepEqual(await list, { accounts: [] });
  client.close();
});

test("a warmed host is closed after the idle period, which a warm on an open port restarts", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port, { idleMs: 60 });
  client.warm();
  port.reply({ v: 1, id: port.sent[0].id, ok: true, result: { protocol: 1 } });
  await new Promise((r) => setTimeout(r, 40));
  client.warm(); // the page again, 40 ms into the idle period
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(port.disconnected, false); // 80 ms after the hello, 40 after the last warm
  assert.deepEqual(port.sent.map((m) => m.type), ["hello"]);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(port.disconnected, true);
});

test("a warm that fails (no host) is silent and leaves the next request to report it", async () => {
  const port = fakePort();
  const client = new NativeClient(() => port, { lastError: () => "Specified native messaging host not found." });
  client.warm();
  assert.deepEqual(port.sent.map((m) => m.type), ["hello"]);
  port.die();
  const next = fakePort();
  client.connect = () => next;
  const request = client.request("list");
  next.die();
  await assert.rejects(request, (e) => e.code === HOST_MISSING);
});
