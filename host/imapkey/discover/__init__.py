"""Finding the IMAP server of any address, the way Thunderbird does, only faster.

Imported only by ``suggest`` and by a check that has no server yet: the host's start-up never
pays for it. Every source runs in parallel under one deadline; no password is ever sent.
"""
