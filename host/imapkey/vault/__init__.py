"""The vault: secrets in the OS keyring, a non-secret index of accounts beside them."""
