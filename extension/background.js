// The background owns the one native port. Popups ask it with runtime messages; the host may
// stay warm between popups and is closed after an idle minute. Nothing secret is stored here:
// a password only passes through on its way to the host.
import { HOST_NAME, HostError, NativeClient } from "./lib/rpc.js";

const api = globalThis.browser ?? globalThis.chrome;

const client = new NativeClient(() => api.runtime.connectNative(HOST_NAME), {
  timeoutMs: 60000,
  idleMs: 60000,
  lastError: () => api.runtime.lastError?.message,
});

const TIMEOUTS = { check: 130000, save: 130000, recheck: 300000 };

async function handle(message) {
  if (message?.kind !== "host") return { ok: false, error: { code: "invalid_request" } };
  try {
    const result = await client.request(message.type, message.fields ?? {}, {
      timeoutMs: TIMEOUTS[message.type],
    });
    return { ok: true, result };
  } catch (err) {
    const e = err instanceof HostError ? err : new HostError("host_exited", String(err));
    return { ok: false, error: { code: e.code, message: e.message, hint: e.hint } };
  }
}

api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  handle(message).then(sendResponse);
  return true; // the answer comes asynchronously
});
