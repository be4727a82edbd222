"""Errors that are the user's to fix: the CLI prints them on one line and exits with code 2."""


class UserError(Exception):
    """Bad input: an unknown key, a value out of range, a missing file. Never a bug."""
