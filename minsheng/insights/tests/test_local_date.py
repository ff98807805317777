"""The cockpit's periods and the scheduled reports count from the 街道's date (Asia/Shanghai), not UTC's. The clock is
frozen at moments given in UTC, as timezone.now() gives them."""

import datetime as dt

import pytest

from minsheng.core import clock
from minsheng.core.models import Notification
from minsheng.insights import delivery, periods

BEFORE_DAWN = dt.datetime(2026, 2, 28, 17, 30, tzinfo=dt.UTC)  # 2026-03-01 01:30 in Beijing


def test_this_month_is_march_before_dawn_on_1_march():
    with clock.at(BEFORE_DAWN):
        assert periods.current("month") == periods.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1), "month")
        # Sunday 1 March: the week began on Monday 23 February
        assert periods.current("week") == periods.Period(dt.date(2026, 2, 23), dt.date(2026, 3, 1), "week")


@pytest.mark.django_db
def test_the_february_report_goes_out_just_after_midnight_on_1_march(cw):
    with clock.at(BEFORE_DAWN):
        assert delivery.send_due() == 1  # one leader, one month (March opens no quarter)
    titles = list(
        Notification.objects.filter(recipient=cw.leader, kind=delivery.KIND).values_list("title", flat=True)
    )
    assert titles == ["2026年2月工作成效报告"]
