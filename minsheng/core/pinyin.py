"""Pinyin keys for pickers and search: "城关街道" → "chengguanjiedao" and initials "cgjd"."""


def pinyin_key(text: str) -> str:
    """Full pinyin and initials, space-separated, lower case: what a `search` filter matches against."""
    if not text:
        return ""
    # Imported on first use: its phrase dictionary takes a fifth of a second to load, which every process
    # (the ingestion consumer, each command) would otherwise pay at start-up.
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(text, errors="default")).lower()
    initials = "".join(
        p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p
    ).lower()
    return f"{full} {initials}"
