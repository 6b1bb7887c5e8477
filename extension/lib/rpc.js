// Requests to the native host over one port: ids, a timeout per request, reconnection after
// the host exits, and closing the port after an idle period. No browser API is used here
// directly (the port comes from `connect`), so it runs under `node --test`.

export const HOST_NAME = "org.imapkey.host";
export const PROTOCOL_VERSION = 1;

// Errors the extension itself produces (the host's own codes pass through unchanged).
export const HOST_MISSING = "host_missing";
export const HOST_FORBIDDEN = "host_forbidden";
export const HOST_EXITED = "host_exited";
export const REQUEST_TIMEOUT = "request_timeout";

const MISSING_PATTERNS = [
  /native messaging host not found/i, // Chromium
  /no such native application/i, // Firefox (also when the manifest does not list our id)
];
// Chromium found the host's manifest, but its allowed_origins does not list this extension.
const FORBIDDEN_PATTERN = /access to the specified native messaging host is forbidden/i;

export function isHostMissing(message) {
  return MISSING_PATTERNS.some((re) => re.test(message ?? ""));
}

export function isHostForbidden(message) {
  return FORBIDDEN_PATTERN.test(message ?? "");
}

export class HostError extends Error {
  constructor(code, message, hint = "") {
    super(message);
    this.code = code;
    this.hint = hint;
  }
}

export class NativeClient {
  // connect: () => port with postMessage, disconnect, onMessage.addListener,
  //          onDisconnect.addListener; lastError: () => string | undefined.
  constructor(connect, { timeoutMs = 30000, idleMs = 60000, lastError = () => undefined } = {}) {
    this.connect = connect;
    this.timeoutMs = timeoutMs;
    this.idleMs = idleMs;
    this.lastError = lastError;
    this.port = null;
    this.pending = new Map();
    this.nextId = 1;
    this.idleTimer = null;
  }

  open() {
    if (this.port) return this.port;
    const port = this.connect();
    port.onMessage.addListener((message) => this.receive(message));
    port.onDisconnect.addListener((p) => this.disconnected(port, p));
    this.port = port;
    return port;
  }

  receive(message) {
    const waiting = message && this.pending.get(message.id);
    if (!waiting) return; // an answer to nobody (e.g. after a timeout): ignore it
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.ok) waiting.resolve(message.result);
    else {
      const e = message.error ?? {};
      waiting.reject(new HostError(e.code ?? "internal_error", e.message ?? "", e.hint ?? ""));
    }
    this.armIdle();
  }

  disconnected(port, p) {
    if (this.port !== port) return;
    this.port = null;
    clearTimeout(this.idleTimer);
    const reason = p?.error?.message ?? this.lastError() ?? "";
    const error = isHostForbidden(reason)
      ? new HostError(HOST_FORBIDDEN, reason)
      : isHostMissing(reason)
        ? new HostError(HOST_MISSING, reason || "The imapkey host is not installed.")
        : new HostError(HOST_EXITED, reason || "The imapkey host stopped.");
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    this.pending.clear();
  }

  request(type, fields = {}, { timeoutMs } = {}) {
    const id = `r${this.nextId++}`;
    const port = this.open();
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HostError(REQUEST_TIMEOUT, `No answer from the imapkey host for ${type}.`));
        this.armIdle();
      }, timeoutMs ?? this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        // The envelope last: a caller's fields can never set another request's id.
        port.postMessage({ ...fields, v: PROTOCOL_VERSION, id, type });
      } catch (err) {
        this.pending.delete(id);
        clearTimeout(timer);
        this.port = null;
        reject(new HostError(HOST_EXITED, String(err?.message ?? err)));
      }
    });
  }

  // Start the host ahead of a request (a popup about to open): one `hello` when no port is
  // open; when one is, its idle minute starts again, so the popup still finds it. Whatever
  // goes wrong is left for the real request to report.
  warm() {
    if (this.port) {
      this.armIdle();
      return;
    }
    this.request("hello").catch(() => {});
  }

  armIdle() {
    clearTimeout(this.idleTimer);
    if (this.pending.size > 0 || !this.port) return;
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
  }

  close() {
    clearTimeout(this.idleTimer);
    const port = this.port;
    this.port = null;
    if (port) port.disconnect();
  }
}
