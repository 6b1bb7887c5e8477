// Finding a freshly shown app password and the signed-in address on the Google Account page.
// `collect.js` is injected with scripting.executeScript: it only reads the page and evaluates
// to what it saw (no listener, no state left behind). The parsing (`scanPage`, here) runs in
// the extension and is unit-tested.
//
// Nothing here relies on class names (Google's are obfuscated and change) or on the UI
// language: the password is read from the text of the page's modal dialog however it is split
// into elements, and the address from the trailing "(local@domain)" of the account button.

export const GOOGLE_ACCOUNT_HOST = "myaccount.google.com";

// Every kind of space a page may put between the groups (or between per-letter elements).
const SPACES = "\\s\\u00a0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff";
const ANY_SPACE = new RegExp(`[${SPACES}]`, "gu");
// A line of its own holding four groups of four lowercase letters: "abcd efgh ijkl mnop".
const GROUPED_LINE = new RegExp(
  `^[${SPACES}]*([a-z]{4})[${SPACES}]+([a-z]{4})[${SPACES}]+([a-z]{4})[${SPACES}]+([a-z]{4})[${SPACES}]*$`,
  "gmu",
);
// Inside the dialog only: a line of 16 contiguous letters (groups spaced by CSS alone).
const CONTIGUOUS_LINE = new RegExp(`^[${SPACES}]*([a-z]{16})[${SPACES}]*$`, "gmu");
const SIXTEEN = /^[a-z]{16}$/;
// "Google Account: Some One\n(someone@gmail.com)" in any language: what counts is the trailing
// address in parentheses (ASCII or full-width ones).
const TRAILING_ADDRESS = /[(（]\s*([^\s()（）@]+@[^\s()（）@]+\.[^\s()（）@]+)\s*[)）]\s*$/u;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export function isGoogleAccountPage(url) {
  try {
    const page = new URL(url);
    return page.protocol === "https:" && page.hostname === GOOGLE_ACCOUNT_HOST;
  } catch {
    return false;
  }
}

function grouped(letters) {
  return letters.match(/.{4}/g).join(" ");
}

// A whole element's text that is the password and nothing else, however it is spaced.
function fromElementText(text) {
  const letters = text.replace(ANY_SPACE, "");
  return SIXTEEN.test(letters) ? grouped(letters) : null;
}

function lastLine(text, pattern) {
  const found = [...text.matchAll(pattern)].map((m) => m.slice(1).join(""));
  return found.length ? grouped(found[found.length - 1]) : null;
}

function findPassword(text, dialogs) {
  // The modal shown after "Create" first, then any other dialog, then the page's own text
  // (the older page's highlighted bar).
  const ordered = [...dialogs.filter((d) => d.modal), ...dialogs.filter((d) => !d.modal)];
  for (const dialog of ordered) {
    for (const part of dialog.parts ?? []) {
      const password = fromElementText(part);
      if (password) return password;
    }
    const line = lastLine(dialog.text ?? "", GROUPED_LINE) ?? lastLine(dialog.text ?? "", CONTIGUOUS_LINE);
    if (line) return line;
  }
  // The freshly created password is shown once; the last one on the page is the newest.
  return lastLine(text, GROUPED_LINE);
}

function findEmail(labels, text) {
  let fallback = null;
  for (const label of labels) {
    if (label.startsWith("data-email:")) {
      fallback ??= label.slice("data-email:".length);
      continue;
    }
    const m = TRAILING_ADDRESS.exec(label);
    if (!m) continue;
    if (/google/i.test(label)) return m[1]; // the account button names Google in every language
    fallback ??= m[1];
  }
  if (fallback) return fallback;
  const m = EMAIL.exec(text);
  return m ? m[0] : null;
}

// What the page shows: { password, email } (either may be null). The password is given in
// Google's display form, "abcd efgh ijkl mnop"; the host strips the spaces.
export function scanPage({ text = "", labels = [], dialogs = [] } = {}) {
  return { password: findPassword(text, dialogs), email: findEmail(labels, text) };
}
