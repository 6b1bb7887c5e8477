// Finding a freshly shown app password and the signed-in address on the Google Account page.
// `collectPage` runs inside the page (it must not use anything outside its own body); the
// parsing (`scanPage`) runs in the extension and is unit-tested.

export const GOOGLE_ACCOUNT_HOST = "myaccount.google.com";

// Google shows 16 lowercase letters in four groups, "abcd efgh ijkl mnop", on a line of their
// own; ordinary prose with four 4-letter words in a row is not taken for one.
const SPACE = "[ \\t\\u00a0\\u2009\\u202f]";
const APP_PASSWORD = new RegExp(
  `^${SPACE}*([a-z]{4})${SPACE}+([a-z]{4})${SPACE}+([a-z]{4})${SPACE}+([a-z]{4})${SPACE}*$`,
  "gm",
);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const ACCOUNT_LABEL = /^Google Account:[\s\S]*?\(([^()\s]+@[^()\s]+)\)/i;

export function isGoogleAccountPage(url) {
  try {
    return new URL(url).hostname === GOOGLE_ACCOUNT_HOST;
  } catch {
    return false;
  }
}

// Injected with scripting.executeScript: returns the page's raw text and labels only.
export function collectPage() {
  const labels = [];
  for (const el of document.querySelectorAll("[aria-label], [data-email]")) {
    const label = el.getAttribute("aria-label");
    if (label) labels.push(label);
    const email = el.getAttribute("data-email");
    if (email) labels.push(`data-email:${email}`);
    if (labels.length > 500) break;
  }
  return {
    url: location.href,
    text: (document.body?.innerText ?? "").slice(0, 200000),
    labels,
  };
}

// What the page shows: { password, email } (either may be null).
export function scanPage({ text = "", labels = [] } = {}) {
  const matches = [...text.matchAll(APP_PASSWORD)].map((m) => m.slice(1, 5).join(" "));
  // The freshly created password is shown once; the last one on the page is the newest.
  const password = matches.length ? matches[matches.length - 1] : null;
  let email = null;
  for (const label of labels) {
    const m = ACCOUNT_LABEL.exec(label);
    if (m) {
      email = m[1];
      break;
    }
    if (label.startsWith("data-email:")) {
      email = label.slice("data-email:".length);
      break;
    }
  }
  if (!email) {
    const m = EMAIL.exec(text);
    if (m) email = m[0];
  }
  return { password, email };
}
