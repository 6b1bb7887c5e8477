"""The IMAP prober: checks credentials against the real server and says why a login fails."""
