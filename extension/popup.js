// The popup: prefill from the Google Account page, check (and save) through the host, and
// the saved accounts. It keeps no secret: the password field's value goes to the host and
// nowhere else; the cached account list holds none.
import { collectPage, isGoogleAccountPage, scanPage } from "./lib/extract.js";
import { instantPreset, portFor, presetFromSuggestion } from "./lib/presets.js";
import { HOST_FORBIDDEN, HOST_MISSING } from "./lib/rpc.js";

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
let serverEdited = false;

// --- Talking to the host (through the background) ------------------------------------------

async function ask(type, payload = {}) {
  const reply = await api.runtime.sendMessage({ kind: "host", type, fields: payload });
  if (reply?.ok) return reply.result;
  const error = reply?.error ?? { code: "host_exited", message: "No answer from the background." };
  if (error.code === HOST_MISSING || error.code === HOST_FORBIDDEN) showSetup(error);
  const err = new Error(error.message || error.code);
  err.code = error.code;
  err.hint = error.hint;
  throw err;
}

// "Not installed" and "installed, but this extension's id is not allowed" need different
// commands; Chromium tells them apart, Firefox reports both as "No such native application".
function showSetup({ code, message }) {
  const forbidden = code === HOST_FORBIDDEN;
  $("setup").hidden = false;
  $("setup").dataset.reason = forbidden ? "forbidden" : "missing";
  $("setup-title").textContent = forbidden
    ? "The imapkey host does not allow this extension"
    : "One more step: install the imapkey host";
  $("setup-missing").hidden = forbidden;
  $("setup-forbidden").hidden = !forbidden;
  for (const node of document.querySelectorAll(".allow-command")) {
    node.textContent = `imapkey install --extension-id ${api.runtime.id}`;
  }
  form.hidden = true;
  $("extension-id").textContent = api.runtime.id;
  $("setup-detail").textContent = message ? `The browser said: ${message}` : "";
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
  let found;
  try {
    const [injection] = await api.scripting.executeScript({
      target: { tabId: tab.id },
      func: collectPage,
    });
    found = scanPage(injection?.result ?? {});
  } catch {
    return; // the page could not be read: the user types instead
  }
  const filled = [];
  if (found.email && !fields.email.value) {
    fields.email.value = found.email;
    filled.push("address");
  }
  if (found.password && !fields.password.value) {
    fields.password.value = found.password;
    filled.push("app password");
  }
  if (filled.length) {
    const note = $("prefill-note");
    note.textContent = `Filled in the ${filled.join(" and ")} from the Google Account page.`;
    note.hidden = false;
    await suggestServer();
  }
}

// --- Server settings -------------------------------------------------------------------------

function applyPreset(preset) {
  if (!preset || serverEdited) return;
  fields.host.value = preset.host;
  fields.port.value = String(preset.port);
  fields.security.value = preset.security;
}

async function suggestServer() {
  const email = fields.email.value.trim();
  if (!email.includes("@")) return;
  applyPreset(instantPreset(email));
  try {
    const preset = presetFromSuggestion(await ask("suggest", { email }));
    applyPreset(preset);
    const note = $("provider-note");
    const notes = preset?.notes ?? [];
    note.textContent = notes.join(" ");
    note.hidden = notes.length === 0;
  } catch {
    // the form stays usable with what the user types
  }
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
  const buttons = form.querySelectorAll("button");
  for (const b of buttons) b.disabled = true;
  $("result").hidden = false;
  $("result").dataset.outcome = "checking";
  $("result").replaceChildren(el("p", { textContent: "Checking with the server…" }));
  try {
    const server = serverFromForm();
    const request = { email, password, ...(server ? { server } : {}) };
    if (action === "save") {
      const saved = await ask("save", request);
      showResult(saved.check, saved.message);
      if (saved.saved) {
        fields.password.value = "";
        await refreshAccounts();
      }
    } else {
      showResult(await ask("check", request));
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
    item.dataset.email = account.email;
    const actions = el("div", { className: "row-actions" });
    const recheck = el("button", { type: "button", textContent: "Re-check" });
    recheck.setAttribute("aria-label", `Re-check ${account.email}`);
    recheck.addEventListener("click", () => recheckAccounts(account.email));
    const remove = el("button", { type: "button", textContent: "Remove" });
    remove.setAttribute("aria-label", `Remove ${account.email}`);
    remove.addEventListener("click", () => confirmRemove(account, actions));
    actions.append(recheck, remove);
    item.append(actions);
    list.append(item);
  }
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
    const bad = results.filter((r) => !r.check?.ok);
    $("accounts-note").textContent = bad.length
      ? `${bad.length} of ${results.length} failed: ${bad.map((r) => `${r.email} (${r.check?.outcome ?? r.error?.code})`).join(", ")}`
      : email ? `${email} works.` : `All ${results.length} working.`;
    if (email && results[0]?.check) showResult(results[0].check);
  } catch (err) {
    $("accounts-note").textContent = err.message;
  }
}

async function refreshAccounts() {
  const listing = await ask("list");
  await api.storage.local.set({ [CACHE_KEY]: listing.accounts });
  renderAccounts(listing.accounts, "host");
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
for (const f of [fields.host, fields.port]) f.addEventListener("input", () => { serverEdited = true; });
fields.security.addEventListener("change", () => {
  serverEdited = true;
  fields.port.value = String(portFor(fields.security.value, fields.port.value));
});
$("recheck-all").addEventListener("click", () => recheckAccounts(null));
$("retry").addEventListener("click", () => location.reload());

showCachedAccounts().catch(() => {});
refreshAccounts().catch(() => {});
prefill().catch(() => {});
