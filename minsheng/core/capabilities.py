"""The names a capability check may use, so a misspelt one fails loudly instead of quietly denying (or, for a
superuser, quietly allowing).

`accounts.roles` declares every capability it knows (the `Cap` enum and every name a role grants) when it loads;
`User.has_cap`, `visible_to` and `get_visible_or_404` pass what they are given through `check`, which raises
`UnknownCapability` for a name nobody declared. Core never imports accounts: the table is filled from there.
"""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

_known: set[str] = set()


class UnknownCapability(ImproperlyConfigured):
    """A capability name no role table declares: a typo in code, never a user's fault."""


def declare(names: Iterable[str]) -> None:
    _known.update(str(name) for name in names)


def check(capability: str) -> str:
    """`capability` itself when declared; otherwise raise, whoever is asking."""
    if capability not in _known:
        raise UnknownCapability(f"unknown capability {capability!r}: declare it in accounts/choices.py Cap")
    return capability


def known() -> frozenset[str]:
    return frozenset(_known)
