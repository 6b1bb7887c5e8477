// The background owns the one native port. Only the extension's own popup may ask it for
// anything (lib/requests.js says what): a password only passes through on its way to the
// host, and nothing secret is stored here. The host may stay warm between popups and is
// closed after an idle minute.
import { HOST_NAME, HostError, NativeClient } from "./lib/rpc.js";
import { fromPopup, REFUSED, RefusedRequest, vetRequest } from "./lib/requests.js";

const api = globalThis.browser ?? globalThis.chrome;

const client = new NativeClient(() => api.runtime.connectNative(HOST_NAME), {
  timeoutMs: 60000,
  idleMs: 60000,
  lastError: () => api.runtime.lastError?.message,
});

const TIMEOUTS = { check: 130000, save: 130000, recheck: 300000 };

async function handle(message, sender) {
  let request;
  try {
    if (!fromPopup(sender, api.runtime.id, api.runtime.getURL("popup.html"))) {
      throw new RefusedRequest("Only the imapkey popup may talk to the imapkey host.");
    }
    request = vetRequest(message);
  } catch (err) {
    const e = err instanceof RefusedRequest ? err : new RefusedRequest(String(err));
    return { ok: false, error: { code: REFUSED, message: e.message } };
  }
  try {
    const result = await client.request(request.type, request.fields, {
      timeoutMs: TIMEOUTS[request.type],
    });
    return { ok: true, result };
  } catch (err) {
    const e = err instanceof HostError ? err : new HostError("host_exited", String(err));
    return { ok: false, error: { code: e.code, message: e.message, hint: e.hint } };
  }
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse);
  return true; // the answer comes asynchronously
});
