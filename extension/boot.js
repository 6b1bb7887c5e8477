// The popup's first moments, continued from early.js: the requests it started, and what the
// Google page shows, which it read and this module scans while the rest of the popup's modules
// are still loading (popup.html loads this module on its own, async; popup.js imports this
// same instance and takes the answers from it). Nothing here renders anything.
import { isGoogleAccountPage, scanPage } from "./lib/extract.js";

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

// What the Google Account page shows: null when the tab is no such page (or unknown);
// { password, email } otherwise, both null when the page could not be read, or when the
// document read was not that page any more (the tab navigated away). early.js read it.
export const pageFound = early.page.then(({ url, seen }) => {
  if (!url || !isGoogleAccountPage(url)) return null;
  return scanPage(seen && isGoogleAccountPage(seen.url) ? seen : {});
});
