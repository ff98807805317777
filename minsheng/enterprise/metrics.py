"""Placeholder replaced below."""


def register_all() -> None:
    pass
