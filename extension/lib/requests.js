// Who may ask the background for what. The background relays to the native host, which holds
// every saved password: only the extension's own popup page may ask, only for the operations
// the popup uses, and only with the fields each of them takes. A content script's isolated
// world (left on the Google page after prefill) or any other context gets a refusal. The one
// exception asks nothing of the host: warm.js, this extension's own script in a Google Account
// tab, may have the host started (`fromGooglePage`; the background then sends a `hello`).
// No browser API is used here, so it runs under `node --test`.
import { isGoogleAccountPage } from "./extract.js";

export const REFUSED = "request_refused";

const ACCOUNT = { email: "string", host: "string" };
const SERVER = { host: "string", port: "number", security: "string" };
// Sending checked too: `true` for the provider's (or the saved) sending server, or a server.
const SMTP = ["boolean", SERVER];

// Operation → its allowed fields and their types. `save` always verifies: the popup never
// stores a password that did not work, so `verify` is not accepted; nor is a CA file, a
// timeout or `force`.
const ALLOWED = {
  hello: {},
  list: { secrets: "boolean" },
  suggest: { email: "string", lookup: "boolean" },
  check: { email: "string", password: "string", server: SERVER, host: "string", smtp: SMTP },
  save: { email: "string", password: "string", server: SERVER, smtp: SMTP },
  delete: ACCOUNT,
  recheck: { email: "string" },
};

export class RefusedRequest extends Error {
  constructor(message) {
    super(message);
    this.code = REFUSED;
  }
}

// True when `sender` is this extension's own content script in the top frame of a Google
// Account tab (warm.js): all it may ask is that the host be started, never anything of it.
export function fromGooglePage(sender, extensionId) {
  if (!sender || sender.id !== extensionId || !sender.tab || typeof sender.url !== "string") return false;
  if (sender.frameId !== 0) return false; // warm.js runs in the top frame only
  return isGoogleAccountPage(sender.url);
}

// True when `sender` is this extension's popup page (opened from the toolbar, or as a tab
// with ?tab=… as the tests do). `popupUrl` is runtime.getURL("popup.html").
export function fromPopup(sender, extensionId, popupUrl) {
  if (!sender || sender.id !== extensionId || typeof sender.url !== "string") return false;
  try {
    const from = new URL(sender.url);
    const popup = new URL(popupUrl);
    return from.origin === popup.origin && from.pathname === popup.pathname;
  } catch {
    return false;
  }
}

function vetFields(fields, spec, where) {
  if (fields === undefined) return {};
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new RefusedRequest(`${where} must be an object.`);
  }
  const vetted = {};
  for (const [name, value] of Object.entries(fields)) {
    const kind = spec[name];
    if (kind === undefined) throw new RefusedRequest(`${where}.${name} is not accepted.`);
    if (Array.isArray(kind)) vetted[name] = vetOneOf(value, kind, `${where}.${name}`);
    else if (typeof kind === "object") vetted[name] = vetFields(value, kind, `${where}.${name}`);
    else if (typeof value !== kind) throw new RefusedRequest(`${where}.${name} must be a ${kind}.`);
    else vetted[name] = value;
  }
  return vetted;
}

// A field that may take one of several shapes: a type name, or an object's own spec.
function vetOneOf(value, kinds, where) {
  for (const kind of kinds) {
    if (typeof kind === "string" && typeof value === kind) return value;
    if (typeof kind === "object" && value !== null && typeof value === "object" && !Array.isArray(value)) {
      return vetFields(value, kind, where);
    }
  }
  throw new RefusedRequest(`${where} must be one of: ${kinds.map((k) => (typeof k === "string" ? k : "an object")).join(", ")}.`);
}

// The request to relay as { type, fields }, or a RefusedRequest. The fields never include
// the envelope (`v`, `id`, `type`), which the native client sets itself.
export function vetRequest(message) {
  if (message?.kind !== "host" || typeof message.type !== "string") {
    throw new RefusedRequest("Not a request for the imapkey host.");
  }
  const spec = Object.hasOwn(ALLOWED, message.type) ? ALLOWED[message.type] : undefined;
  if (!spec) throw new RefusedRequest(`The request type ${JSON.stringify(message.type.slice(0, 40))} is not relayed.`);
  return { type: message.type, fields: vetFields(message.fields, spec, "fields") };
}
