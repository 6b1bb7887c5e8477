// The background owns the one native port. Only the extension's own popup may ask it for
// anything (lib/requests.js says what; the extension's script on a Google Account page may only
// have the host started, ahead of the popup): a password only passes through on its way to the
// host, and nothing secret is stored here. The host may stay warm between popups and is
// closed after an idle minute. It also runs the watch (lib/watch.js): saved accounts are
// re-checked on an alarm, and one that stops working gets the badge and a notification.
import { HOST_NAME, HostError, NativeClient } from "./lib/rpc.js";
import {
  fromGooglePage, fromPopup, REFUSED, RefusedRequest, vetRequest,
} from "./lib/requests.js";
import {
  ALARM, badgeText, DEFAULT_PERIOD, due, emptyState, fold, learn, PERIOD_KEY, STATE_KEY,
} from "./lib/watch.js";

const api = globalThis.browser ?? globalThis.chrome;

const client = new NativeClient(() => api.runtime.connectNative(HOST_NAME), {
  timeoutMs: 60000,
  idleMs: 60000,
  lastError: () => api.runtime.lastError?.message,
});

const TIMEOUTS = { check: 130000, save: 130000, recheck: 300000 };

async function handle(message, sender, respond) {
  let request;
  try {
    if (!fromPopup(sender, api.runtime.id, api.runtime.getURL("popup.html"))) {
      throw new RefusedRequest("Only the imapkey popup may talk to the imapkey host.");
    }
    request = vetRequest(message);
  } catch (err) {
    const e = err instanceof RefusedRequest ? err : new RefusedRequest(String(err));
    respond({ ok: false, error: { code: REFUSED, message: e.message } });
    return;
  }
  let result;
  try {
    result = await client.request(request.type, request.fields, {
      timeoutMs: TIMEOUTS[request.type],
    });
  } catch (err) {
    const e = err instanceof HostError ? err : new HostError("host_exited", String(err));
    respond({ ok: false, error: { code: e.code, message: e.message, hint: e.hint } });
    return;
  }
  // The popup waits for its answer, not for the watch's bookkeeping (storage writes), except
  // after a re-check, whose badge is part of what it reports. The bookkeeping is queued before
  // the answer leaves, so what the popup asks next (a list after a save) is booked after it.
  const booked = book(request, result);
  if (request.type !== "recheck") respond({ ok: true, result });
  await booked;
  if (request.type === "recheck") respond({ ok: true, result });
}

// The watch's bookkeeping, one reply at a time: each reads the stored state and writes it
// back, so two at once could lose one's write (and leave a stale badge).
let bookkeeping = Promise.resolve();
function book(request, result) {
  bookkeeping = bookkeeping.then(() => observe(request, result)).catch(() => {});
  return bookkeeping;
}

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // warm.js on a Google Account page: the user is about to make an app password and open the
  // popup, so the host is started now (a `hello`) and the popup finds it ready. No answer.
  if (message?.kind === "warm" && fromGooglePage(sender, api.runtime.id)) {
    client.warm();
    return false;
  }
  const respond = (reply) => {
    try {
      sendResponse(reply);
    } catch {
      // the popup closed while waiting: nobody to answer, the bookkeeping still runs
    }
  };
  handle(message, sender, respond).catch(() => {});
  return true; // the answer comes asynchronously
});

// --- The watch ---------------------------------------------------------------------------

async function loadState() {
  return (await api.storage.local.get(STATE_KEY))[STATE_KEY] ?? emptyState();
}

async function period() {
  const stored = (await api.storage.local.get(PERIOD_KEY))[PERIOD_KEY];
  return Number.isFinite(stored) ? stored : DEFAULT_PERIOD;
}

// A recheck's results, from the popup's "Re-check all" or the alarm: the same badge and
// the same notifications either way.
async function takeResults(results, all) {
  const { state, broke, failing } = fold(await loadState(), results, Date.now(), { all });
  await api.storage.local.set({ [STATE_KEY]: state });
  await api.action.setBadgeBackgroundColor({ color: "#b3261e" });
  await api.action.setBadgeText({ text: badgeText(failing) });
  await api.action.setTitle({ title: failing
    ? `imapkey: ${failing} saved account${failing > 1 ? "s" : ""} stopped working`
    : "imapkey: check this app password" });
  for (const account of broke) {
    const id = `imapkey-broke:${account.email}|${account.host}`;
    await api.storage.local.set({ [id]: account.link ?? "" });
    await api.notifications.create(id, {
      type: "basic",
      iconUrl: api.runtime.getURL("icons/icon-128.png"),
      title: `Mail for ${account.email} stopped working`,
      message: `imapkey checked it again: ${account.why}. ` +
        (account.link ? "Click to create a new app password." : "Open imapkey to fix it."),
    });
  }
}

// What the popup's own requests tell the watch.
async function observe(request, result) {
  if (request.type === "recheck") {
    await takeResults(result.results ?? [], !request.fields.email);
  } else if (["save", "list", "delete"].includes(request.type)) {
    const state = learn(await loadState(), request.type, request.fields, result, Date.now());
    await api.storage.local.set({ [STATE_KEY]: state });
    if (request.type !== "save") {
      const failing = Object.values(state.accounts).filter((a) => a.works === false).length;
      await api.action.setBadgeText({ text: badgeText(failing) });
    }
  }
}

// The alarm's handler: every saved account once, unless one ran within this period. The
// host's own lockout is kept (no force): a paused account is not checked, and not reported.
async function onAlarm(alarm) {
  if (alarm?.name !== ALARM) return;
  const minutes = await period();
  if (!due(await loadState(), minutes, Date.now())) return;
  const reply = await client.request("recheck", {}, { timeoutMs: TIMEOUTS.recheck });
  await book({ type: "recheck", fields: {} }, reply); // as the popup's Re-check all
}

async function schedule() {
  const minutes = await period();
  const existing = await api.alarms.get(ALARM);
  if (!minutes) {
    if (existing) await api.alarms.clear(ALARM);
    return;
  }
  if (existing?.periodInMinutes === minutes) return;
  await api.alarms.create(ALARM, { delayInMinutes: minutes, periodInMinutes: minutes });
}

api.alarms.onAlarm.addListener((alarm) => { onAlarm(alarm).catch(() => {}); });
api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && PERIOD_KEY in changes) schedule().catch(() => {});
});
api.notifications.onClicked.addListener(async (id) => {
  const link = (await api.storage.local.get(id))[id];
  if (typeof link === "string" && link.startsWith("https://")) await api.tabs.create({ url: link });
  else if (api.action.openPopup) await api.action.openPopup().catch(() => {});
  await api.notifications.clear(id);
});
api.runtime.onInstalled?.addListener(() => { schedule().catch(() => {}); });
api.runtime.onStartup?.addListener(() => { schedule().catch(() => {}); });
schedule().catch(() => {});

// For the end-to-end tests: the alarm's handler, called the way the alarm calls it.
globalThis.imapkeyWatch = { onAlarm, ALARM };
