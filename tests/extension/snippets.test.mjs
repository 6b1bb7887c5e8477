// The popup's mail-client commands: one per client, safe to paste into a shell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SNIPPET_CLIENTS, shellWord, snippetCommand } from "../../extension/lib/snippets.js";

const account = { email: "me@example.com", host: "imap.example.com" };

test("a plain address gives the bare command for each client", () => {
  assert.deepEqual(SNIPPET_CLIENTS.map((c) => snippetCommand(account, c)), [
    "imapkey snippet me@example.com --client mbsync",
    "imapkey snippet me@example.com --client neomutt",
    "imapkey snippet me@example.com --client aerc",
    "imapkey snippet me@example.com --client himalaya",
    "imapkey snippet me@example.com --client offlineimap",
  ]);
});

test("shell syntax in an address is quoted, single quotes included", () => {
  assert.equal(shellWord("h$(id)>x;y@example.com"), "'h$(id)>x;y@example.com'");
  assert.equal(shellWord("o'brien@example.com"), "'o'\\''brien@example.com'");
  assert.equal(shellWord("first.last+tag@example.com"), "first.last+tag@example.com");
});

test("--host is added only when the address is saved on two servers", () => {
  const other = { email: "ME@example.com", host: "mail.example.net" };
  assert.equal(
    snippetCommand(account, "aerc", [account, other]),
    "imapkey snippet me@example.com --client aerc --host imap.example.com",
  );
  assert.equal(snippetCommand(account, "aerc", [account]), "imapkey snippet me@example.com --client aerc");
});

test("msmtp is offered only for an account saved with its sending server", async () => {
  const { snippetClients } = await import("../../extension/lib/snippets.js");
  assert.equal(snippetClients(account).includes("msmtp"), false);
  const sending = { ...account, smtp: { host: "smtp.example.com", port: 465, security: "tls" } };
  assert.equal(snippetClients(sending).at(-1), "msmtp");
  assert.equal(snippetCommand(sending, "msmtp"), "imapkey snippet me@example.com --client msmtp");
});
