"""imapkey: check IMAP app passwords against the real server and keep them in the OS keyring.

This module stays import-free: the native host is spawned by the browser for every popup,
so everything on its start-up path is paid for by the user.
"""

__version__ = "0.1.0"
