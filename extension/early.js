// The popup's very first moment. A classic script, first in popup.html's head, so it runs as
// soon as it arrives: a module runs only once its whole import graph has loaded, which on the
// first popup after the browser starts takes about 100 ms, all of it before the host could be
// spawned. It only starts what the popup will need (the two list requests, the cached list,
// the English catalogue, reading the Google page) and leaves the promises to boot.js in
// `globalThis.imapkeyEarly`; nothing here renders anything.
"use strict";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const CACHE_KEY = "accounts-cache";

  // One request to the host through the background: the raw reply, never a rejection (a
  // background that cannot be reached answers like a host that stopped).
  const send = (type, fields = {}) => Promise.resolve()
    .then(() => api.runtime.sendMessage({ kind: "host", type, fields }))
    .catch((err) => ({
      ok: false,
      error: { code: "host_exited", message: String(err?.message ?? err) },
    }));

  // The form is only ever sent through popup.js, to the host: pressed Enter before popup.js
  // has loaded must not submit it natively (that would put the password in the page's URL).
  document.addEventListener("submit", (event) => event.preventDefault(), true);

  // The tab the popup serves: the one named in ?tab= (tests, and a popup opened as a tab), else
  // the active one. Only a Google Account page is read (lib/collect.js), whatever else the
  // extension could see: the test of lib/extract.js's isGoogleAccountPage (which boot.js then
  // asks of both the tab and the document read), as its host permission (any port). Always a
  // { url, seen } (either null), never a rejection.
  const isGooglePage = (url) => url.protocol === "https:" && url.hostname === "myaccount.google.com";
  const readTab = async () => {
    const param = new URLSearchParams(location.search).get("tab");
    const tab = param
      ? await api.tabs.get(Number(param))
      : (await api.tabs.query({ active: true, currentWindow: true }))[0];
    if (!tab?.url) return { url: null, seen: null };
    if (!isGooglePage(new URL(tab.url))) return { url: tab.url, seen: null };
    const seen = await api.scripting
      .executeScript({ target: { tabId: tab.id }, files: ["lib/collect.js"] })
      .then(([injection]) => injection?.result ?? null, () => null);
    return { url: tab.url, seen };
  };

  globalThis.imapkeyEarly = Object.freeze({
    CACHE_KEY,
    send,
    // Two list requests at once: the index alone answers first (no keyring on the host's cold
    // start), the full one then adds which secrets are missing and the orphans. Neither waits
    // for the other, so showing the list costs no extra round trip.
    lists: { quick: send("list", { secrets: false }), full: send("list") },
    cached: Promise.resolve()
      .then(() => api.storage.local.get(CACHE_KEY))
      .then((stored) => stored[CACHE_KEY])
      .catch(() => undefined),
    page: readTab().catch(() => ({ url: null, seen: null })),
    // The English catalogue: what the host's texts are recognised by (lib/i18n.js).
    english: Promise.resolve()
      .then(() => fetch(api.runtime.getURL("_locales/en/messages.json")))
      .then((reply) => reply.json())
      .catch(() => ({})),
  });
})();
