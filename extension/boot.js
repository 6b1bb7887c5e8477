// The popup's first moments, continued from early.js: the requests it started, and what the
// Google page shows, read here while the rest of the popup's modules are still loading
// (popup.html loads this module on its own, async; popup.js imports this same instance and
// takes the answers from it). Nothing here renders anything.
import { collectPage, isGoogleAccountPage, scanPage } from "./lib/extract.js";

const api = globalThis.browser ?? globalThis.chrome;
const early = globalThis.imapkeyEarly; // early.js runs before any module (popup.html)

export const { CACHE_KEY, send } = early;

// The opening's list requests the first time, fresh ones after (a save, a removal).
let firstLists = early.lists;
export function listRequests() {
  const lists = firstLists ?? { quick: send("list", { secrets: false }), full: send("list") };
  firstLists = null;
  return lists;
}

export const cachedAccounts = early.cached;
export const englishCatalogue = early.english;

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
