"""Domain error types shared by every app."""


class IllegalTransition(Exception):
    """An action asked of an object whose current state does not allow it (HTTP 409, a Chinese message in the UI)."""
