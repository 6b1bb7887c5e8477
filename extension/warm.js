// A content script on the Google Account pages, where app passwords are made: it asks the
// background to start the imapkey host now, so that the popup opened next (and its first
// check) finds the host ready instead of waiting for it to start. It reads nothing of the
// page and sends nothing else; the background relays no request from here (lib/requests.js).
"use strict";

// The background gives no answer: Chromium then rejects the promise (the port closed before a
// response), Firefox resolves it; either way there is nothing to do.
Promise.resolve()
  .then(() => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ kind: "warm" }))
  .catch(() => {});
