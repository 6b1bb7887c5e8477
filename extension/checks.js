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

// One block: a heading whose pass or fail is said in words too, then what `fill` draws.
function block(id, title, ok, status, fill) {
  const section = el("section", { className: "check-block" });
  section.dataset.ok = String(ok);
  section.setAttribute("aria-labelledby", id);
  section.append(el("h3", { id },
    el("span", { className: "mark", textContent: ok ? "✓ " : "✗ ", ariaHidden: "true" }),
    title,
    el("span", { className: "visually-hidden", textContent: ` ${status}` })));
  const body = el("div");
  fill(body);
  section.append(body);
  return section;
}

// Fills the popup's result box with both blocks. `extra` is the save's own message; `render`
// is the popup's: { title(which), status(ok), extra(said), check(box, result), error(box, e) }.
export function showChecks(box, result, extra, render) {
  box.replaceChildren();
  box.hidden = false;
  box.dataset.outcome = result.outcome;
  box.dataset.smtpOutcome = result.smtp?.outcome ?? result.smtp_error?.code ?? "";
  box.dataset.ok = String(bothOk(result));
  box.classList.add("two-blocks");
  if (extra) box.append(render.extra(extra));
  const imap = render.title("imap");
  const sending = render.title("smtp");
  box.append(block("result-imap", imap, result.ok, render.status(result.ok),
    (body) => render.check(body, result, imap)));
  if (result.smtp) {
    // The same note about the password (spaces removed) is said once, in the first block.
    const shown = result.warnings ?? [];
    const smtp = { ...result.smtp, warnings: (result.smtp.warnings ?? []).filter((w) => !shown.includes(w)) };
    box.append(block("result-smtp", sending, smtp.ok, render.status(smtp.ok),
      (body) => render.check(body, smtp, sending)));
  } else if (result.smtp_error) {
    box.append(block("result-smtp", sending, false, render.status(false),
      (body) => render.error(body, result.smtp_error)));
  }
}

// A saved account's sending server and how it last went, for the saved-accounts list;
// null when none was saved with it.
export function sendingLine(account, label, status) {
  if (!account.smtp) return null;
  const { host, port, security } = account.smtp;
  const line = el("div", { className: "meta" },
    `${label} ${host}:${port} (${security === "tls" ? "SSL/TLS" : "STARTTLS"}) · `);
  const ok = account.last_smtp_outcome === "ok";
  line.append(el("span", { className: ok ? "status-ok" : "status-bad", textContent: status }));
  return line;
}
