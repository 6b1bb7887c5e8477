// The one-line commands that print a saved account's mail-client configuration
// (`imapkey snippet`, docs in README "Mail clients"). Built here from the list reply: the
// host's answer needs no extra field.

export const SNIPPET_CLIENTS = ["mbsync", "neomutt", "aerc", "himalaya", "offlineimap"];
// Clients that only send: offered for accounts saved with their sending server.
export const SENDING_CLIENTS = ["msmtp"];

export function snippetClients(account) {
  return account.smtp ? [...SNIPPET_CLIENTS, ...SENDING_CLIENTS] : SNIPPET_CLIENTS;
}

// A POSIX shell word: plain addresses as they are, anything else in single quotes.
export function shellWord(text) {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

// `--host` only when the address is saved on more than one server, as the CLI needs then.
export function snippetCommand(account, client, accounts = [account]) {
  const email = account.email.toLowerCase();
  const twins = accounts.filter((a) => a.email.toLowerCase() === email).length;
  const host = twins > 1 ? ` --host ${shellWord(account.host)}` : "";
  return `imapkey snippet ${shellWord(account.email)} --client ${client}${host}`;
}
