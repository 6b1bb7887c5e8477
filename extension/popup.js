// The popup: prefill from the Google Account page, check (and save) through the host, and
// the saved accounts. It keeps no secret: the password field's value goes to the host and
// nowhere else; the cached account list holds none.
import { CACHE_KEY, cachedAccounts, englishCatalogue, listRequests, pageFound, send } from "./boot.js";
import {
  GOOGLE, instantPreset, portFor, presetFromSuggestion, providerNote,
} from "./lib/presets.js";
import { HOST_FORBIDDEN, HOST_MISSING } from "./lib/rpc.js";
import { snippetClients, snippetCommand } from "./lib/snippets.js";
import { Texts } from "./lib/i18n.js";
import { sendingLine, showChecks } from "./checks.js";
import { GOOGLE_SMTP, smtpField, smtpFromSuggestion, smtpPortFor } from "./lib/sending.js";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);

// Words in the browser's language (_locales/); the English catalogue is what the host's
// texts are recognised by (lib/i18n.js), loaded before any host answer is shown.
const texts = new Texts({
  getMessage: (key, subs) => api.i18n.getMessage(key, subs),
  locale: api.i18n.getUILanguage?.(),
});
const t = (key, ...subs) => texts.t(key, ...subs);
const englishReady = englishCatalogue.then((catalogue) => { texts.english = catalogue; });

function localize() {
  document.documentElement.lang = texts.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
}
localize();

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
// Whether to ask Mozilla's database (Advanced), as the user last chose: read at once, awaited
// only where a look-up would be made, so filling in the page's address does not wait for it.
// A click on the box meanwhile wins; a setting that cannot be read means no look-up.
let lookupClicked = false;
const lookupSetting = api.storage.local.get("lookup")
  .then((stored) => stored.lookup !== false, () => false)
  .then((allowed) => { if (!lookupClicked) $("lookup").checked = allowed; });

// --- Talking to the host (through the background) ------------------------------------------

async function ask(type, payload = {}) {
  return answer(send(type, payload));
}

// A reply's result, or its error thrown (the request may have left from early.js, before this
// module had loaded).
async function answer(replied) {
  const reply = await replied;
  await englishReady;
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
  $("setup-title").textContent = t(forbidden ? "setup_title_forbidden" : "setup_title");
  $("setup-missing").hidden = forbidden;
  $("setup-forbidden").hidden = !forbidden;
  for (const node of document.querySelectorAll(".allow-command")) {
    node.textContent = `imapkey install --extension-id ${api.runtime.id}`;
  }
  form.hidden = true;
  $("extension-id").textContent = api.runtime.id;
  // The browser's own words are English.
  $("setup-detail").replaceChildren(...(message
    ? [`${t("setup_browser_said")} `, el("span", { lang: "en", textContent: message })]
    : []));
  document.querySelector(".saved").hidden = true;
}

// --- Prefill ---------------------------------------------------------------------------------

async function prefill() {
  const found = await pageFound; // read by early.js, scanned by boot.js, while this module loaded
  if (!found) return; // not the Google Account page
  const note = $("prefill-note");
  const filled = [];
  if (found.email && !fields.email.value) {
    fields.email.value = found.email;
    filled.push("address");
  }
  if (found.password && !fields.password.value) {
    fields.password.value = found.password;
    passwordFromPage = true;
    applyPreset({ ...GOOGLE, source: "google-page" });
    filled.push("password");
  }
  note.hidden = false;
  mark("imapkey:prefill");
  if (!filled.length) {
    note.dataset.found = "none";
    note.textContent = t("prefill_none");
    return;
  }
  note.dataset.found = filled.join(",");
  const parts = [t(filled.length === 2 ? "prefill_both" : `prefill_${filled[0]}`)];
  if (!found.password) parts.push(t("prefill_no_password"));
  note.replaceChildren(parts.join(" "));
  if (passwordFromPage) {
    // Taken away again when the user types a password of their own.
    note.append(el("span", { className: "google-server",
      textContent: ` ${t("prefill_google_server", GOOGLE.host)}` }));
  }
  await suggestServer();
}

// --- Server settings -------------------------------------------------------------------------

// A suggestion never changes a server field the user has edited or is in: a late answer from
// the host (discovery can take two seconds) must not land in the middle of their typing.
function serverFieldFocused() {
  return [fields.host, fields.port, fields.security].includes(document.activeElement);
}

function applyPreset(preset) {
  if (!preset || serverEdited || serverFieldFocused()) return;
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
  showProviderNote();
  // "Nothing was sent: … is only a guess" is out of date once the guess is settled.
  if ($("result").dataset.outcome === "server_unconfirmed" && !needsConfirmation()) {
    $("result").hidden = true;
  }
  const box = $("guess-confirm");
  box.hidden = !needsConfirmation();
  if (box.hidden) return;
  $("guess-text").textContent = t("guess_text", suggestion.host, suggestion.port);
  $("confirm-server").textContent = t("use_server", suggestion.host);
}

async function suggestServer() {
  const email = fields.email.value.trim();
  if (!email.includes("@")) return;
  suggestion = null;
  guessConfirmed = false;
  applyPreset(instantPreset(email));
  applySending(instantPreset(email) ? GOOGLE_SMTP : null);
  try {
    await lookupSetting; // a user who turned the look-up off is never looked up, even at once
    const lookup = $("lookup").checked;
    const answer = await ask("suggest", { email, ...(lookup ? {} : { lookup }) });
    const preset = presetFromSuggestion(answer);
    suggestion = preset;
    applyPreset(preset);
    applySending(preset?.confirm ? null : smtpFromSuggestion(answer));
  } catch {
    // the form stays usable with what the user types
  }
  showGuess();
}

function formServer() {
  return { host: fields.host.value, port: Number(fields.port.value), security: fields.security.value };
}

// The note under the password follows the current settings (see presets.providerNote).
function showProviderNote() {
  const note = $("provider-note");
  const said = providerNote(suggestion, formServer(), { serverEdited, passwordFromPage });
  if (said?.own) {
    const { host, port, security } = said.own;
    note.textContent = t("own_server", host.trim(), port || portFor(security), securityName(security));
  } else {
    const notes = (said?.notes ?? []).map((text) => texts.note(text));
    note.replaceChildren(...notes.flatMap((n, i) => [...(i ? [" "] : []), saying("span", {}, n)]));
  }
  note.dataset.follows = said?.own ? "own" : said ? "suggestion" : "";
  note.hidden = !said;
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
  box.hidden = false;
  renderCheck(box, result, extra);
}

// A check of receiving alone, or of receiving and sending: then two blocks (checks.js), each
// drawn by the same renderer, so both are translated and say pass or fail in words.
function showCheckResult(result, extra) {
  if (!result.smtp && !result.smtp_error) {
    showResult(result, extra);
    return;
  }
  showChecks($("result"), result, extra, {
    title: (which) => t(which === "imap" ? "receiving_title" : "sending_title"),
    status: (ok) => t(ok ? "block_ok" : "block_failed"),
    extra: (said) => saying("p", { className: "saved-note" }, said),
    check: (box, checked, title) => renderCheck(box, checked, null, title),
    error: (box, error) => {
      const code = error.code ?? "internal_error";
      box.dataset.outcome = code;
      box.dataset.ok = "false";
      box.append(...explained(texts.error(code, "message", error.message),
        error.hint ? texts.error(code, "hint", error.hint) : null));
    },
  });
}

// How the saved sending server last went, in words.
function accountSendingStatus(account) {
  const outcome = account.last_smtp_outcome;
  if (!outcome) return t("status_not_checked");
  if (outcome === "ok") return t("status_ok");
  return texts.outcome(outcome, "message").text || outcome;
}

// One check's result in `box`: the verdict, the fix, each stage (its pass or fail in words
// too, for assistive technology), the server's own words, the timing.
function renderCheck(box, result, extra, title) {
  box.replaceChildren();
  box.dataset.outcome = result.outcome;
  box.dataset.ok = String(result.ok);
  const message = texts.outcome(result.outcome, "message", result.message);
  const hint = result.hint ? texts.outcome(result.outcome, "hint", result.hint) : null;
  box.append(...explained(message, hint));
  if (result.link) {
    box.append(el("p", {}, el("a", { href: result.link, target: "_blank", rel: "noopener",
      textContent: result.link })));
  }
  for (const warning of result.warnings ?? []) {
    const said = texts.known(["warning_spaces_removed", "warning_not_app_password"], warning);
    box.append(el("p", { className: "small" }, `${t("warning_note")} `, saying("span", {}, said)));
  }
  if (extra) box.append(saying("p", { className: "saved-note" }, extra));
  if (result.stages?.length) box.append(renderStages(result.stages, title));
  if (result.server_text) {
    box.append(el("p", { className: "small", textContent: t("server_said") }),
      el("pre", { textContent: result.server_text }));
  }
  const { host, port, security } = result.server;
  box.append(el("p", { className: "small", textContent:
    t("elapsed", texts.ms(result.elapsed_ms), `${host}:${port}`, securityName(security)) }));
}

function securityName(security) {
  return security === "tls" ? "SSL/TLS" : "STARTTLS";
}

// A text from lib/i18n.js in a `tag`, marked with its language when it is not the page's.
function saying(tag, props, said) {
  const node = el(tag, { ...props, textContent: said.text });
  if (said.lang && said.lang !== texts.lang) node.lang = said.lang;
  return node;
}

// The verdict and the fix; then, where the translated words do not say all the host said
// (specific words in a language other than the host's English), the host's own words.
function explained(message, hint) {
  const nodes = [saying("p", { className: "verdict" }, message)];
  if (hint?.text) nodes.push(saying("p", { className: "hint" }, hint));
  const originals = [message.original, hint?.original].filter(Boolean);
  if (originals.length) {
    nodes.push(el("p", { className: "small host-words" }, `${t("host_words")} `,
      el("span", { lang: "en", textContent: originals.join(" ") })));
  }
  return nodes;
}

// The stages as a list whose items say "passed" or "failed" in text: the glyph and colour
// are for the eye only.
function renderStages(stages, title) {
  const list = el("ol", { className: "stages" });
  // With two blocks, each list is named after its block, so the two can be told apart.
  list.setAttribute("aria-label", title ? `${t("steps")}: ${title}` : t("steps"));
  for (const stage of stages) {
    const detail = el("span", { className: "detail", textContent: stage.detail });
    if (texts.lang !== "en") detail.lang = "en"; // the host's own (technical) words
    const item = el("li", {},
      el("span", { className: "mark", textContent: stage.ok ? "✓" : "✗", ariaHidden: "true" }),
      el("span", { className: "name" }, texts.stage(stage.name),
        el("span", { className: "visually-hidden",
          textContent: ` ${t(stage.ok ? "stage_passed" : "stage_failed")}` })),
      el("span", { className: "ms", textContent: texts.ms(stage.ms) }),
      detail);
    item.dataset.ok = String(stage.ok);
    list.append(item);
  }
  return list;
}

// An error: the host's (by its code, see lib/i18n.js), or the popup's own words (`said`).
function showError(err) {
  const box = $("result");
  const code = err.code ?? "internal_error";
  const message = err.said?.message ?? texts.error(code, "message", err.message);
  const hint = err.said?.hint ?? (err.hint ? texts.error(code, "hint", err.hint) : null);
  box.replaceChildren(...explained(message, hint));
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
    showError({ code: "invalid_request", said: { message: { text: t("enter_both") } } });
    (email ? fields.password : fields.email).focus();
    return;
  }
  if (needsConfirmation()) {
    showGuess();
    showError({
      code: "server_unconfirmed",
      said: {
        message: { text: t("unconfirmed_message", suggestion.host) },
        hint: { text: t("unconfirmed_hint") },
      },
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
  $("result").replaceChildren(el("p", { textContent: t("checking") }));
  try {
    const server = serverFromForm();
    const smtp = smtpField({ host: sendingFields.host.value, port: sendingFields.port.value,
      security: sendingFields.security.value }, passwordFromPage, sendingEdited);
    const request = { email, password, ...(server ? { server } : {}), smtp };
    if (action === "save") {
      const saved = await ask("save", request);
      const note = texts.known(["save_saved", "save_rotated", "save_nothing", "save_kept",
        "save_saved_no_sending", "save_rotated_no_sending"], saved.message);
      showCheckResult(saved.check, note);
      if (saved.saved) {
        fields.password.value = "";
        await refreshAccounts();
      }
    } else {
      showCheckResult(await ask("check", request));
    }
  } catch (err) {
    showError(err);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

// --- Saved accounts --------------------------------------------------------------------------

function when(stamp) {
  return stamp ? texts.date(stamp) : t("never");
}

// An account's status in words: the outcome's own message for a failure.
function accountStatus(account) {
  if (account.secret_present === false) return t("status_missing");
  if (!account.last_outcome) return t("status_not_checked");
  if (account.last_outcome === "ok") return t("status_ok");
  return texts.outcome(account.last_outcome, "message").text || account.last_outcome;
}

// User Timing marks (bench/popup_open.py reads them): when the list first shows, from the
// cache and from the host, when the full list (the keyring's state) is in, and when the page's
// address was filled in. Each is set once.
function mark(name) {
  if (!performance.getEntriesByName(name, "mark").length) performance.mark(name);
}

function renderAccounts(accounts, source) {
  const list = $("accounts");
  list.replaceChildren();
  list.dataset.source = source; // "cache" at once, "host" once the host has answered
  $("accounts-empty").hidden = accounts.length > 0;
  for (const account of accounts) {
    const ok = account.last_outcome === "ok";
    const item = el("li", {},
      el("div", { className: "address", textContent: account.email }),
      el("div", { className: "meta", textContent:
        `${account.host}:${account.port} (${securityName(account.security)})` }),
      el("div", { className: "meta" },
        `${t("last_worked")} `, el("span", { textContent: when(account.last_ok_at) }),
        ` · ${t("status")} `,
        el("span", { className: ok ? "status-ok" : "status-bad", textContent: accountStatus(account) })));
    const sending = sendingLine(account, t("sending_label"), accountSendingStatus(account));
    if (sending) item.append(sending);
    item.dataset.email = account.email;
    const actions = el("div", { className: "row-actions" });
    const recheck = el("button", { type: "button", textContent: t("recheck") });
    recheck.setAttribute("aria-label", t("recheck_named", account.email));
    recheck.addEventListener("click", () => recheckAccounts(account.email));
    const remove = el("button", { type: "button", textContent: t("remove") });
    remove.setAttribute("aria-label", t("remove_named", account.email));
    remove.addEventListener("click", () => confirmRemove(account, actions));
    actions.append(recheck, remove);
    item.append(actions, snippetCommands(account, accounts));
    list.append(item);
  }
  mark(`imapkey:list-${source}`);
}

// For a saved account: the command that prints each mail client's configuration.
function snippetCommands(account, accounts) {
  const box = el("details", { className: "snippets" },
    el("summary", { textContent: t("snippets_summary") }),
    el("p", { className: "small", textContent: t("snippets_explain") }));
  const lines = el("div", { className: "snippet-commands" });
  for (const client of snippetClients(account)) {
    lines.append(el("code", { textContent: snippetCommand(account, client, accounts) }));
  }
  box.append(lines);
  return box;
}

function confirmRemove(account, actions) {
  const question = el("span", { className: "small", textContent: t("remove_question", account.email) });
  const yes = el("button", { type: "button", textContent: t("confirm_remove") });
  const no = el("button", { type: "button", textContent: t("cancel") });
  const original = [...actions.children];
  no.addEventListener("click", () => actions.replaceChildren(...original));
  yes.addEventListener("click", async () => {
    try {
      const gone = await ask("delete", { email: account.email, host: account.host });
      $("accounts-note").replaceChildren(
        saying("span", {}, texts.known(["delete_message"], gone.message)), " ",
        saying("span", {}, texts.known(["delete_hint"], gone.hint)), " ",
        ...(gone.link ? [el("a", { href: gone.link, target: "_blank", rel: "noopener",
          textContent: t("revoke_here") })] : []));
      await refreshAccounts();
    } catch (err) {
      noteError(err);
    }
  });
  actions.replaceChildren(question, yes, no);
  yes.focus();
}

async function recheckAccounts(email) {
  $("accounts-note").textContent = email ? t("rechecking_one", email) : t("rechecking_all");
  try {
    const { results } = await ask("recheck", email ? { email } : {});
    await refreshAccounts(); // first, so what is announced below matches the list
    const bad = results.filter((r) => !(r.works ?? r.check?.ok));
    const which = bad.map((r) => `${r.email} (${r.check?.ok ? `${t("sending_label")} ${r.smtp_outcome}` : r.check?.outcome ?? r.error?.code})`).join(", ");
    $("accounts-note").textContent = bad.length
      ? t("recheck_some_failed", texts.number(bad.length), texts.number(results.length), which)
      : email ? t("recheck_one_ok", email) : t("recheck_all_ok", texts.number(results.length));
    if (email && results[0]?.check) showCheckResult(results[0].check);
  } catch (err) {
    noteError(err);
  }
}

// Keyring secrets with no account (a save interrupted between its two writes): shown so the
// user can remove them.
function renderOrphans(orphans = []) {
  $("orphans-box").hidden = orphans.length === 0;
  $("orphans").replaceChildren(...orphans.map((orphan) => {
    const remove = el("button", { type: "button", textContent: t("remove") });
    remove.setAttribute("aria-label", t("remove_orphan_named", orphan.email, orphan.host));
    remove.addEventListener("click", async () => {
      try {
        const gone = await ask("delete", { email: orphan.email, host: orphan.host });
        $("accounts-note").replaceChildren(saying("span", {}, texts.known(["delete_message"], gone.message)));
        await refreshAccounts();
      } catch (err) {
        noteError(err);
      }
    });
    return el("li", {}, el("span", { className: "small", textContent: `${orphan.email} (${orphan.host})` }), remove);
  }));
}

// The two list requests (see boot.js): whichever answers first is shown.
async function refreshAccounts() {
  const requests = listRequests();
  let full = false;
  const quick = answer(requests.quick).then((listing) => {
    if (!full) renderAccounts(listing.accounts, "host");
  }).catch(() => {});
  const listing = await answer(requests.full);
  full = true;
  await api.storage.local.set({ [CACHE_KEY]: listing.accounts });
  renderAccounts(listing.accounts, "host");
  renderOrphans(listing.orphans);
  mark("imapkey:list-full");
  if (listing.keyring_error) noteError(listing.keyring_error);
  await quick;
}

// An error under the account list: its message by code (the host's own words kept).
function noteError(err) {
  const message = texts.error(err.code ?? "internal_error", "message", err.message);
  const nodes = [saying("span", {}, message)];
  if (message.original) nodes.push(" ", el("span", { lang: "en", textContent: message.original }));
  $("accounts-note").replaceChildren(...nodes);
}

async function showCachedAccounts() {
  const cached = await cachedAccounts;
  await englishReady; // a failed check's status is its outcome's words
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
  event.currentTarget.textContent = t(shown ? "show_password" : "hide_password");
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
  $("prefill-note").querySelector(".google-server")?.remove();
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
  lookupClicked = true;
  await api.storage.local.set({ lookup: $("lookup").checked }).catch(() => {});
  await suggestServer();
});
$("recheck-all").addEventListener("click", () => recheckAccounts(null));
$("retry").addEventListener("click", () => location.reload());

// The watch's setting (and lib/watch.js behind it) is not part of the first view: loaded after
// it, so the modules the list and the prefill wait for are two fewer.
import("./watchsetting.js")
  .then(({ initWatchSetting }) => initWatchSetting(api, $("watch-period"),
    (period) => t(`watch_${period.minutes}`) || period.label))
  .catch(() => {});
showCachedAccounts().catch(() => {});
refreshAccounts().catch(() => {});
prefill().catch(() => {});
