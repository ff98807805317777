"""Pinyin keys: full pinyin and initials from one segmentation of the text."""

import random

from pypinyin import Style, lazy_pinyin

from minsheng.core.pinyin import pinyin_key


def test_known_keys():
    assert pinyin_key("城关街道") == "chengguanjiedao cgjd"
    assert pinyin_key("1号楼ABC") == "1haolouabc 1hla"
    assert pinyin_key("") == ""


def test_initials_are_pypinyins_first_letters():
    """The initials equal pypinyin's own FIRST_LETTER style (what the key was built from before)."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x9FFF, 7)] + list("ab 12，。Xy")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(10))
        full = "".join(lazy_pinyin(text, errors="default")).lower()
        first = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p)
        assert pinyin_key(text) == f"{full} {first.lower()}"
