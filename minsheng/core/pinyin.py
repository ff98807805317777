"""Pinyin keys for pickers and search: "城关街道" → "chengguanjiedao" and initials "cgjd"."""


def pinyin_key(text: str) -> str:
    """Full pinyin and initials, space-separated, lower case: what a `search` filter matches against."""
    if not text:
        return ""
    # Imported on first use: its phrase dictionary takes a fifth of a second to load, which every process
    # (the ingestion consumer, each command) would otherwise pay at start-up.
    from pypinyin import lazy_pinyin

    # One pass: each syllable's first letter is what pypinyin's FIRST_LETTER style gives (checked over every
    # CJK unified ideograph), so the initials need no second segmentation of the text.
    syllables = lazy_pinyin(text, errors="default")
    full = "".join(syllables).lower()
    initials = "".join(p[0] for p in syllables if p).lower()
    return f"{full} {initials}"
