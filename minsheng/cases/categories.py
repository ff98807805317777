"""Adding a branch to the cases' category tree from a data migration, where only the historical model exists and
treebeard's `add_child` does not: a domain that files its problems as cases adds its categories this way."""

from collections.abc import Iterable
from typing import Any

from minsheng.core.pinyin import pinyin_key

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def next_step(last_path: str | None, prefix: str = "") -> str:
    """The next treebeard path segment (4 base-36 digits) after the last sibling's."""
    n = int(last_path[-4:], 36) + 1 if last_path else 1
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = _ALPHABET[r] + out
    return prefix + out


def add_categories(category_model: Any, rows: Iterable[tuple[str, str, str | None]]) -> None:
    """Add each (code, name, parent code) not there yet, as the last child of its parent (a top level without one).
    Parents come before their children in `rows`."""
    for code, name, parent_code in rows:
        if category_model.objects.filter(code=code).exists():
            continue
        if parent_code is None:
            last = category_model.objects.filter(depth=1).order_by("-path").first()
            path, depth = next_step(last.path if last else None), 1
        else:
            parent = category_model.objects.get(code=parent_code)
            last = (
                category_model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .first()
            )
            path, depth = next_step(last.path if last else None, parent.path), parent.depth + 1
            parent.numchild += 1
            parent.save(update_fields=["numchild"])
        category_model.objects.create(
            path=path, depth=depth, numchild=0, code=code, name=name, search_key=pinyin_key(name)
        )
