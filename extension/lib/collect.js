// Injected into the Google Account tab by early.js (scripting.executeScript with `files`): it
// only reads the page and evaluates to what it saw, the script's last value being
// executeScript's result. No listener, no global, no node is left behind. What it returns:
// the page's labels, its text, and for each dialog its text and the short texts of its
// elements (a per-letter <strong> joins into one of them), each bounded in size. The parsing
// (lib/extract.js scanPage) runs in the extension.
"use strict";

(() => {
  const labels = [];
  for (const el of document.querySelectorAll("[aria-label], [data-email]")) {
    const label = el.getAttribute("aria-label");
    if (label) labels.push(label.slice(0, 500));
    const email = el.getAttribute("data-email");
    if (email) labels.push(`data-email:${email.slice(0, 300)}`);
    if (labels.length > 500) break;
  }
  const dialogs = [];
  const selector = '[aria-modal="true"], [role="dialog"], [role="alertdialog"], dialog[open]';
  for (const dialog of document.querySelectorAll(selector)) {
    if (dialogs.length >= 10) break;
    if (dialog.getClientRects().length === 0) continue; // not shown
    const parts = new Set();
    for (const el of dialog.querySelectorAll("*")) {
      const raw = el.textContent ?? "";
      if (raw.length > 2000) continue;
      const text = raw.replace(/\s+/g, " ").trim(); // per-letter spans may sit on their own lines
      if (text.length >= 16 && text.length <= 100) parts.add(text);
      if (parts.size >= 500) break;
    }
    dialogs.push({
      modal: dialog.getAttribute("aria-modal") === "true",
      text: (dialog.innerText ?? "").slice(0, 20000),
      parts: [...parts],
    });
  }
  return {
    url: location.href,
    text: (document.body?.innerText ?? "").slice(0, 200000),
    labels,
    dialogs,
  };
})();
