// The result of a check of both receiving and sending: two blocks, "Receiving mail (IMAP)" and
// "Sending mail (SMTP)", each with its verdict, fix, ladder and the server's own words. Kept
// apart from popup.js so the popup's other work and this one stay easy to merge.
import { bothOk } from "./lib/sending.js";

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function security(server) {
  return server.security === "tls" ? "SSL/TLS" : "STARTTLS";
}

// One check result as a block: verdict, hint, link, notes, the ladder, the server's words.
function resultBlock(title, id, result, shown = []) {
  const block = el("section", { className: "check-block" });
  block.dataset.outcome = result.outcome;
  block.dataset.ok = String(result.ok);
  block.setAttribute("aria-labelledby", id);
  block.append(el("h3", { id, textContent: `${result.ok ? "✓" : "✗"} ${title}` }));
  block.append(el("p", { className: "verdict", textContent: result.message }));
  if (result.hint) block.append(el("p", { className: "hint", textContent: result.hint }));
  if (result.link) {
    block.append(el("p", {}, el("a", { href: result.link, target: "_blank", rel: "noopener",
      textContent: result.link })));
  }
  for (const warning of (result.warnings ?? []).filter((w) => !shown.includes(w))) {
    block.append(el("p", { className: "small", textContent: `Note: ${warning}` }));
  }
  const stages = el("ol", { className: "stages" });
  stages.setAttribute("aria-label", `Steps: ${title}`);
  for (const stage of result.stages ?? []) {
    stages.append(el("li", {},
      el("span", { textContent: stage.ok ? "✓" : "✗", ariaHidden: "true" }),
      el("span", { textContent: stage.name }),
      el("span", { className: "ms", textContent: `${stage.ms.toFixed(0)} ms` }),
      el("span", { className: "detail", textContent: stage.detail })));
  }
  block.append(stages);
  if (result.server_text) {
    block.append(el("p", { className: "small", textContent: "The server said:" }),
      el("pre", { textContent: result.server_text }));
  }
  block.append(el("p", { className: "small", textContent: `${result.elapsed_ms.toFixed(0)} ms,` +
    ` ${result.server.host}:${result.server.port} (${security(result.server)})` }));
  return block;
}

// Sending could not be checked at all (no sending server known, or only a guess).
function errorBlock(title, id, error) {
  const block = el("section", { className: "check-block" });
  block.dataset.outcome = error.code;
  block.dataset.ok = "false";
  block.setAttribute("aria-labelledby", id);
  block.append(el("h3", { id, textContent: `✗ ${title}` }),
    el("p", { className: "verdict", textContent: error.message }));
  if (error.hint) block.append(el("p", { className: "hint", textContent: error.hint }));
  return block;
}

// Fills the popup's result box with both blocks. `extra` is the save's own message.
export function showChecks(box, result, extra) {
  box.replaceChildren();
  box.hidden = false;
  box.dataset.outcome = result.outcome;
  box.dataset.smtpOutcome = result.smtp?.outcome ?? result.smtp_error?.code ?? "";
  box.dataset.ok = String(bothOk(result));
  box.classList.add("two-blocks");
  if (extra) box.append(el("p", { className: "saved-note", textContent: extra }));
  box.append(resultBlock("Receiving mail (IMAP)", "result-imap", result));
  // The same note about the password (spaces removed) is said once, in the first block.
  if (result.smtp) box.append(resultBlock("Sending mail (SMTP)", "result-smtp", result.smtp, result.warnings));
  else if (result.smtp_error) box.append(errorBlock("Sending mail (SMTP)", "result-smtp", result.smtp_error));
}

// A saved account's sending server and how it last went, for the saved-accounts list;
// null when none was saved with it.
export function sendingLine(account) {
  if (!account.smtp) return null;
  const { host, port } = account.smtp;
  const line = el("div", { className: "meta" },
    `Sending: ${host}:${port} (${security(account.smtp)}) · `);
  const outcome = account.last_smtp_outcome ?? "not checked";
  line.append(el("span", { className: outcome === "ok" ? "status-ok" : "status-bad", textContent: outcome }));
  return line;
}
