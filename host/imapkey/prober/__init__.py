"""The IMAP prober: checks credentials against the real server and says why a login fails."""

DEFAULT_TIMEOUT = 15.0  # seconds for a whole check
DEFAULT_PARALLEL = 8  # checks at once when several accounts are checked together
