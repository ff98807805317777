"""GB 32100 统一社会信用代码: codes built with a valid check character pass, every single-character change fails."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.enterprise.validators import ALPHABET, AUTHORITIES, make_uscc, validate_uscc

bodies = st.builds(
    lambda authority, pick, division, org: (
        authority + AUTHORITIES[authority][pick % len(AUTHORITIES[authority])] + division + org
    ),
    st.sampled_from(sorted(AUTHORITIES)),
    st.integers(min_value=0, max_value=10),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)


@settings(max_examples=200, deadline=None)
@given(bodies)
def test_constructed_codes_are_valid(body):
    code = make_uscc(body)
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code  # typed in lower case
    assert validate_uscc(f" {code[:9]} {code[9:]} ") == code  # with spaces


@settings(max_examples=200, deadline=None)
@given(bodies, st.sampled_from(ALPHABET))
def test_a_changed_check_character_fails(body, other):
    code = make_uscc(body)
    if other == code[-1]:
        return
    with pytest.raises(ValidationError) as exc:
        validate_uscc(code[:-1] + other)
    assert exc.value.code == "uscc_check"


@settings(max_examples=200, deadline=None)
@given(bodies, st.integers(min_value=8, max_value=16), st.sampled_from(ALPHABET))
def test_a_mistyped_character_in_the_organisation_code_fails(body, position, other):
    """The weights are coprime to 31, so any single substitution changes the check character."""
    code = make_uscc(body)
    if code[position] == other:
        return
    with pytest.raises(ValidationError):
        validate_uscc(code[:position] + other + code[position + 1 :])


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "uscc_length"),
        ("91370724MA3C4X5Y6", "uscc_length"),
        ("91370724MA3C4X5Y6IO", "uscc_length"),
        ("91370724MA3C4X5Y6I", "uscc_chars"),
        ("B1370724MA3C4X5Y6Q", "uscc_authority"),
        ("97370724MA3C4X5Y6Q", "uscc_kind"),
        ("913707A4MA3C4X5Y6Q", "uscc_division"),
    ],
)
def test_structure_errors_are_specific(value, error):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert exc.value.code == error
