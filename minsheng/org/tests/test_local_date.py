"""A 公民身份号码's birth date may be today, the 街道's today on the engine's clock, never tomorrow."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minsheng.core import clock
from minsheng.org.validators import id_check_digit, validate_id_number

BEFORE_DAWN = dt.datetime(2026, 2, 28, 17, 30, tzinfo=dt.UTC)  # 2026-03-01 01:30 in Beijing


def number(born: dt.date) -> str:
    first17 = f"370724{born:%Y%m%d}123"
    return first17 + id_check_digit(first17)


def test_a_baby_born_today_has_a_valid_number_one_born_tomorrow_not():
    with clock.at(BEFORE_DAWN):
        validate_id_number(number(dt.date(2026, 3, 1)))
        with pytest.raises(ValidationError) as exc:
            validate_id_number(number(dt.date(2026, 3, 2)))
    assert exc.value.code == "id_birth"
