// The popup's first moments. Everything the popup needs from the host, the browser and the
// Google page is asked for here, as soon as the page starts: popup.html loads this module on
// its own (async), so the requests leave while the rest of the popup's modules are still
// loading, and popup.js (which imports this same instance) takes the answers from it. Asking
// from popup.js instead costs the time its modules take to load: on the first popup after the
// browser starts, about 100 ms before the host is even spawned. Nothing here renders anything.
import { collectPage, isGoogleAccountPage, scanPage } from "./lib/extract.js";

const api = globalThis.browser ?? globalThis.chrome;

export const CACHE_KEY = "accounts-cache";

// One request to the host through the background: the raw reply, never a rejection (a
// background that cannot be reached answers like a host that stopped).
export function send(type, fields = {}) {
  return Promise.resolve()
    .then(() => api.runtime.sendMessage({ kind: "host", type, fields }))
    .catch((err) => ({
      ok: false,
      error: { code: "host_exited", message: String(err?.message ?? err) },
    }));
}

// Two list requests at once: the index alone answers first (no keyring on the host's cold
// start), the full one then adds which secrets are missing and the orphans. Neither waits for
// the other, so showing the list costs no extra round trip.
let firstLists = { quick: send("list", { secrets: false }), full: send("list") };

// The opening's list requests the first time, fresh ones after (a save, a removal).
export function listRequests() {
  const lists = firstLists ?? { quick: send("list", { secrets: false }), full: send("list") };
  firstLists = null;
  return lists;
}

export const cachedAccounts = api.storage.local.get(CACHE_KEY)
  .then((stored) => stored[CACHE_KEY])
  .catch(() => undefined);

// The English catalogue: what the host's texts are recognised by (lib/i18n.js).
export const englishCatalogue = fetch(api.runtime.getURL("_locales/en/messages.json"))
  .then((reply) => reply.json())
  .catch(() => ({}));

// The tab the popup serves: the one named in ?tab= (tests, and a popup opened as a tab), else
// the active one.
async function targetTab() {
  const param = new URLSearchParams(location.search).get("tab");
  if (param) return api.tabs.get(Number(param));
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

// What the Google Account page shows: null when the tab is no such page (or unknown);
// { password, email } otherwise, both null when the page could not be read.
async function readPage() {
  let tab;
  try {
    tab = await targetTab();
  } catch {
    return null;
  }
  if (!tab?.url || !isGoogleAccountPage(tab.url)) return null;
  try {
    const [injection] = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: collectPage,
    });
    return scanPage(injection?.result ?? {});
  } catch {
    return { password: null, email: null };
  }
}

export const pageFound = readPage();
