"""Registering the native host with browsers (install, uninstall) and diagnosing it (doctor)."""
