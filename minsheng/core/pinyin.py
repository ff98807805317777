"""Pinyin keys for pickers and search: "城关街道" → "chengguanjiedao" and initials "cgjd"."""

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    """Full pinyin and initials, space-separated, lower case: what a `search` filter matches against."""
    if not text:
        return ""
    full = "".join(lazy_pinyin(text, errors="default")).lower()
    initials = "".join(
        p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p
    ).lower()
    return f"{full} {initials}"
