// The popup: prefill from the Google Account page, check (and save) through the host, and
// the saved accounts. It keeps no secret: the password field's value goes to the host and
// nowhere else; the cached account list holds none.
import { collectPage, isGoogleAccountPage, scanPage } from "./lib/extract.js";
import { GOOGLE, instantPreset, portFor, presetFromSuggestion } from "./lib/presets.js";
import { HOST_MISSING } from "./lib/rpc.js";
import { snippetClients, snippetCommand } from "./lib/snippets.js";
import { sendingLine, showChecks } from "./checks.js";
import { initWatchSetting } from "./watchsetting.js";
import { GOOGLE_SMTP, smtpField, smtpFromSuggestion, smtpPortFor } from "./lib/sending.js";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
const CACHE_KEY = "accounts-cache";

const form = $("check-form");
const fields = {
  email: $("email"),
  password: $("password"),
  host: $("server-host"),
  port: $("server-port"),
  security: $("server-security"),
};
// Where the password may go (security finding 4): the user's own server once they edit it;
// else Google's for a password read from Google's page; else the host's suggestion, and a
// suggestion nothing vouches for (a guess) only after the user has confirmed it.
let serverEdited = false;
let passwordFromPage = false;
let suggestion = null;
let guessConfirmed = false;
// Sending (SMTP) is checked with receiving; its server under Advanced, filled in from the
// suggestion (never from a guess) until the user edits it.
const sendingFields = { host: $("smtp-host"), port: $("smtp-port"), security: $("smtp-security") };
let sendingEdited = false;

// --- Talking to the host (through the background) ------------------------------------------

async function ask(type, payload = {}) {
  const reply = await api.runtime.sendMessage({ kind: "host", type, fields: payload });
  if (reply?.ok) return reply.result;
  const error = reply?.error ?? { code: "host_exited", message: "No answer from the background." };
  if (error.code === HOST_MISSING) showSetup(error.message);
  const err = new Error(error.message || error.code);
  err.code = error.code;
  err.hint = error.hint;
  throw err;
}

function showSetup(detail) {
  $("setup").hidden = false;
  form.hidden = true;
  $("extension-id").textContent = api.runtime.id;
  $("setup-detail").textContent = detail ? `The browser said: ${detail}` : "";
  document.querySelector(".saved").hidden = true;
}

// --- Prefill ---------------------------------------------------------------------------------

async function targetTab() {
  const param = new URLSearchParams(location.search).get("tab");
  if (param) return api.tabs.get(Number(param));
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

async function prefill() {
  let tab;
  try {
    tab = await targetTab();
  } catch {
    return;
  }
  if (!tab?.url || !isGoogleAccountPage(tab.url)) return;
  const note = $("prefill-note");
  let found;
  try {
    const [injection] = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: collectPage,
    });
    found = scanPage(injection?.result ?? {});
  } catch {
    found = { password: null, email: null }; // the page could not be read
  }
  const filled = [];
  if (found.email && !fields.email.value) {
    fields.email.value = found.email;
    filled.push("address");
  }
  if (found.password && !fields.password.value) {
    fields.password.value = found.password;
    passwordFromPage = true;
    applyPreset({ ...GOOGLE, source: "google-page" });
    filled.push("app password");
  }
  note.hidden = false;
  if (!filled.length) {
    note.dataset.found = "none";
    note.textContent = "No app password or address was found on this page. Type or paste them " +
      "below (after Create, Google shows the 16-letter password in a window).";
    return;
  }
  note.dataset.found = filled.join(",");
  const missing = found.password ? "" : " No app password is shown there: type or paste it.";
  const where = passwordFromPage
    ? ` A password from Google's page is checked at Google's server, ${GOOGLE.host}.`
    : "";
  note.textContent = `Filled in the ${filled.join(" and ")} from the Google Account page.${missing}${where}`;
  await suggestServer();
}

// --- Server settings -------------------------------------------------------------------------

function applyPreset(preset) {
  if (!preset || serverEdited) return;
  if (passwordFromPage && preset.source !== "google-page") return; // Google's password: Google's server
  fields.host.value = preset.host;
  fields.port.value = String(preset.port);
  fields.security.value = preset.security;
}

// True while the form would send the password to a server nobody has vouched for.
function needsConfirmation() {
  return Boolean(!serverEdited && !passwordFromPage && suggestion?.confirm && !guessConfirmed &&
    fields.host.value.trim() === suggestion.host);
}

function showGuess() {
  const box = $("guess-confirm");
  box.hidden = !needsConfirmation();
  if (box.hidden) return;
  $("guess-text").textContent = `${suggestion.host} port ${suggestion.port} is only a guess at ` +
    "your mail server. Check it with your provider, then confirm it, or enter the right " +
    "server under Advanced. No password is sent until then.";
  $("confirm-server").textContent = `Use ${suggestion.host}`;
}

async function suggestServer() {
  const email = fields.email.value.trim();
  if (!email.includes("@")) return;
  suggestion = null;
  guessConfirmed = false;
  applyPreset(instantPreset(email));
  applySending(instantPreset(email) ? GOOGLE_SMTP : null);
  try {
    const lookup = $("lookup").checked;
    const answer = await ask("suggest", { email, ...(lookup ? {} : { lookup }) });
    const preset = presetFromSuggestion(answer);
    suggestion = preset;
    applyPreset(preset);
    applySending(preset?.confirm ? null : smtpFromSuggestion(answer));
    const note = $("provider-note");
    // For a guess, the box below says the rest (and offers to confirm).
    const notes = preset?.confirm ? (preset.notes ?? []).slice(0, 1) : preset?.notes ?? [];
    note.textContent = notes.join(" ");
    note.hidden = notes.length === 0;
  } catch {
    // the form stays usable with what the user types
  }
  showGuess();
}

// The sending server's fields, from a suggestion, until the user edits them.
function applySending(server) {
  if (sendingEdited) return;
  sendingFields.host.value = server?.host ?? "";
  sendingFields.port.value = server ? String(server.port) : "";
  sendingFields.security.value = server?.security ?? "tls";
}

// --- Results ---------------------------------------------------------------------------------

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function showResult(result, extra) {
  const box = $("result");
  box.replaceChildren();
  box.hidden = false;
  box.dataset.outcome = result.outcome;
  box.dataset.ok = String(result.ok);
  box.append(el("p", { className: "verdict", textContent: result.message }));
  if (result.hint) box.append(el("p", { className: "hint", textContent: result.hint }));
  if (result.link) {
    box.append(el("p", {}, el("a", { href: result.link, target: "_blank", rel: "noopener",
      textContent: result.link })));
  }
  for (const warning of result.warnings ?? []) {
    box.append(el("p", { className: "small", textContent: `Note: ${warning}` }));
  }
  if (extra) box.append(el("p", { className: "saved-note", textContent: extra }));
  const stages = el("ol", { className: "stages" });
  stages.setAttribute("aria-label", "Steps");
  for (const stage of result.stages ?? []) {
    stages.append(el("li", {},
      el("span", { textContent: stage.ok ? "✓" : "✗", ariaHidden: "true" }),
      el("span", { textContent: stage.name }),
      el("span", { className: "ms", textContent: `${stage.ms.toFixed(0)} ms` }),
      el("span", { className: "detail", textContent: stage.detail })));
  }
  box.append(stages);
  if (result.server_text) {
    box.append(el("p", { className: "small", textContent: "The server said:" }),
      el("pre", { textContent: result.server_text }));
  }
  box.append(el("p", { className: "small", textContent: `${result.elapsed_ms.toFixed(0)} ms in all,` +
    ` ${result.server.host}:${result.server.port} (${result.server.security === "tls" ? "SSL/TLS" : "STARTTLS"})` }));
}

function showError(err) {
  const box = $("result");
  box.replaceChildren(
    el("p", { className: "verdict", textContent: err.message }),
    ...(err.hint ? [el("p", { className: "hint", textContent: err.hint })] : []),
  );
  box.hidden = false;
  box.dataset.outcome = err.code ?? "error";
  box.dataset.ok = "false";
}

function serverFromForm() {
  if (passwordFromPage && !serverEdited) return { ...GOOGLE };
  const host = fields.host.value.trim();
  if (!host) return undefined;
  return {
    host,
    port: Number(fields.port.value) || portFor(fields.security.value),
    security: fields.security.value,
  };
}

async function submit(action) {
  const email = fields.email.value.trim();
  const password = fields.password.value;
  if (!email || !password) {
    showError({ code: "invalid_request", message: "Enter the email address and the app password." });
    (email ? fields.password : fields.email).focus();
    return;
  }
  if (needsConfirmation()) {
    showGuess();
    showError({
      code: "server_unconfirmed",
      message: `Nothing was sent: ${suggestion.host} is only a guess at your mail server.`,
      hint: "Confirm the server (or enter your provider's under Advanced) first.",
    });
    $("advanced").open = true;
    $("confirm-server").focus();
    return;
  }
  const buttons = form.querySelectorAll("button");
  for (const b of buttons) b.disabled = true;
  $("result").classList.remove("two-blocks");
  $("result").hidden = false;
  $("result").dataset.outcome = "checking";
  $("result").replaceChildren(el("p", { textContent: "Checking with the server…" }));
  try {
    const server = serverFromForm();
    const smtp = smtpField({ host: sendingFields.host.value, port: sendingFields.port.value,
      security: sendingFields.security.value }, passwordFromPage, sendingEdited);
    const request = { email, password, ...(server ? { server } : {}), smtp };
    if (action === "save") {
      const saved = await ask("save", request);
      showChecks($("result"), saved.check, saved.message);
      if (saved.saved) {
        fields.password.value = "";
        await refreshAccounts();
      }
    } else {
      showChecks($("result"), await ask("check", request));
    }
  } catch (err) {
    showError(err);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

// --- Saved accounts --------------------------------------------------------------------------

function when(stamp) {
  if (!stamp) return "never";
  const date = new Date(stamp);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function renderAccounts(accounts, source) {
  const list = $("accounts");
  list.replaceChildren();
  list.dataset.source = source; // "cache" at once, "host" once the host has answered
  $("accounts-empty").hidden = accounts.length > 0;
  for (const account of accounts) {
    const ok = account.last_outcome === "ok";
    const status = account.secret_present === false
      ? "password missing from the keyring"
      : account.last_outcome ?? "not checked";
    const item = el("li", {},
      el("div", { className: "address", textContent: account.email }),
      el("div", { className: "meta", textContent:
        `${account.host}:${account.port} (${account.security === "tls" ? "SSL/TLS" : "STARTTLS"})` }),
      el("div", { className: "meta" },
        "Last worked: ", el("span", { textContent: when(account.last_ok_at) }), " · Status: ",
        el("span", { className: ok ? "status-ok" : "status-bad", textContent: status })));
    const sending = sendingLine(account);
    if (sending) item.append(sending);
    item.dataset.email = account.email;
    const actions = el("div", { className: "row-actions" });
    const recheck = el("button", { type: "button", textContent: "Re-check" });
    recheck.setAttribute("aria-label", `Re-check ${account.email}`);
    recheck.addEventListener("click", () => recheckAccounts(account.email));
    const remove = el("button", { type: "button", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove ${account.email}`);
    remove.addEventListener("click", () => confirmRemove(account, actions));
    actions.append(recheck, remove);
    item.append(actions, snippetCommands(account, accounts));
    list.append(item);
  }
}

// For a saved account: the command that prints each mail client's configuration.
function snippetCommands(account, accounts) {
  const box = el("details", { className: "snippets" },
    el("summary", { textContent: "Use it in a mail client" }),
    el("p", { className: "small", textContent:
      "In a terminal, this prints a ready configuration (add --write to save it in place):" }));
  const lines = el("div", { className: "snippet-commands" });
  for (const client of snippetClients(account)) {
    lines.append(el("code", { textContent: snippetCommand(account, client, accounts) }));
  }
  box.append(lines);
  return box;
}

function confirmRemove(account, actions) {
  const question = el("span", { className: "small", textContent: `Remove ${account.email} from this computer?` });
  const yes = el("button", { type: "button", textContent: "Confirm remove" });
  const no = el("button", { type: "button", textContent: "Cancel" });
  const original = [...actions.children];
  no.addEventListener("click", () => actions.replaceChildren(...original));
  yes.addEventListener("click", async () => {
    try {
      const gone = await ask("delete", { email: account.email, host: account.host });
      $("accounts-note").replaceChildren(
        `${gone.message} ${gone.hint} `,
        ...(gone.link ? [el("a", { href: gone.link, target: "_blank", rel: "noopener",
          textContent: "Revoke it here" })] : []));
      await refreshAccounts();
    } catch (err) {
      $("accounts-note").textContent = err.message;
    }
  });
  actions.replaceChildren(question, yes, no);
  yes.focus();
}

async function recheckAccounts(email) {
  $("accounts-note").textContent = email ? `Re-checking ${email}…` : "Re-checking all accounts…";
  try {
    const { results } = await ask("recheck", email ? { email } : {});
    await refreshAccounts(); // first, so what is announced below matches the list
    const bad = results.filter((r) => !(r.works ?? r.check?.ok));
    $("accounts-note").textContent = bad.length
      ? `${bad.length} of ${results.length} failed: ${bad.map((r) => `${r.email} (${r.check?.ok ? `sending: ${r.smtp_outcome}` : r.check?.outcome ?? r.error?.code})`).join(", ")}`
      : email ? `${email} works.` : `All ${results.length} working.`;
    if (email && results[0]?.check) showResult(results[0].check);
  } catch (err) {
    $("accounts-note").textContent = err.message;
  }
}

// Keyring secrets with no account (a save interrupted between its two writes): shown so the
// user can remove them.
function renderOrphans(orphans = []) {
  $("orphans-box").hidden = orphans.length === 0;
  $("orphans").replaceChildren(...orphans.map((orphan) => {
    const remove = el("button", { type: "button", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove the password for ${orphan.email} on ${orphan.host}`);
    remove.addEventListener("click", async () => {
      try {
        const gone = await ask("delete", { email: orphan.email, host: orphan.host });
        $("accounts-note").textContent = gone.message;
        await refreshAccounts();
      } catch (err) {
        $("accounts-note").textContent = err.message;
      }
    });
    return el("li", {}, el("span", { className: "small", textContent: `${orphan.email} (${orphan.host})` }), remove);
  }));
}

async function refreshAccounts() {
  const listing = await ask("list");
  await api.storage.local.set({ [CACHE_KEY]: listing.accounts });
  renderAccounts(listing.accounts, "host");
  renderOrphans(listing.orphans);
  if (listing.keyring_error) $("accounts-note").textContent = listing.keyring_error.message;
}

async function showCachedAccounts() {
  const cached = (await api.storage.local.get(CACHE_KEY))[CACHE_KEY];
  if (Array.isArray(cached) && $("accounts").dataset.source !== "host") {
    renderAccounts(cached, "cache");
  }
}

// --- Wiring ----------------------------------------------------------------------------------

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit(event.submitter?.dataset.action ?? "check");
});
$("show-password").addEventListener("click", (event) => {
  const shown = fields.password.type === "text";
  fields.password.type = shown ? "password" : "text";
  event.currentTarget.textContent = shown ? "Show" : "Hide";
  event.currentTarget.setAttribute("aria-pressed", String(!shown));
});
fields.email.addEventListener("change", suggestServer);
for (const f of [fields.host, fields.port]) {
  f.addEventListener("input", () => { serverEdited = true; showGuess(); });
}
fields.security.addEventListener("change", () => {
  serverEdited = true;
  fields.port.value = String(portFor(fields.security.value, fields.port.value));
  showGuess();
});
fields.password.addEventListener("input", () => {
  if (!passwordFromPage) return;
  passwordFromPage = false; // the user's own password now: the suggestion applies
  const note = $("prefill-note");
  note.textContent = note.textContent.replace(/ A password from Google's page .*$/, "");
  applyPreset(suggestion);
  showGuess();
});
for (const f of [sendingFields.host, sendingFields.port]) {
  f.addEventListener("input", () => { sendingEdited = true; });
}
sendingFields.security.addEventListener("change", () => {
  sendingEdited = true;
  sendingFields.port.value = String(smtpPortFor(sendingFields.security.value, sendingFields.port.value));
});
$("confirm-server").addEventListener("click", () => {
  guessConfirmed = true;
  showGuess();
  $("result").hidden = true;
  fields.password.focus();
});
$("lookup").addEventListener("change", async () => {
  await api.storage.local.set({ lookup: $("lookup").checked });
  await suggestServer();
});
$("recheck-all").addEventListener("click", () => recheckAccounts(null));
$("retry").addEventListener("click", () => location.reload());

initWatchSetting(api, $("watch-period")).catch(() => {});
showCachedAccounts().catch(() => {});
refreshAccounts().catch(() => {});
api.storage.local.get("lookup")
  .then((stored) => { $("lookup").checked = stored.lookup !== false; })
  .catch(() => {})
  .finally(() => prefill().catch(() => {}));
