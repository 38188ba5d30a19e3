"""The CLI's error type, in a module with no imports so every command starts fast."""


class CliFout(Exception):
    """Exit 2 with this message."""
