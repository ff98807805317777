"""The registry's xlsx import (row report, all or nothing) and export; the figures on a small known history."""

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from openpyxl import Workbook, load_workbook

from minsheng.core import metrics
from minsheng.core.spreadsheet import export_workbook, import_workbook
from minsheng.enterprise import actions
from minsheng.enterprise.choices import Milestone, SigningKind, Stage
from minsheng.enterprise.models import Enterprise
from minsheng.enterprise.spreadsheets import TABLES

from .conftest import code
from .test_ledger import handle, visit_problem

pytestmark = pytest.mark.django_db
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "行业门类",
    "企业规模",
    "所在社区/村",
    "标签",
    "联系人",
    "联系人手机",
]


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_import_reports_each_bad_row_and_writes_nothing(ew):
    rows = [
        [code(10), "甲食品有限公司", "C", "小型", "颐和社区", "小微", "王经理", "13911110000"],
        ["91370724MA00000111", "乙公司", "C", "小型", "颐和社区", "", "", ""],  # wrong check character
        [code(11), "丙公司", "Z", "巨型", "不存在社区", "未知标签", "", ""],
    ]
    report = import_workbook(TABLES["enterprises"](ew.officer), workbook(rows))
    assert not report.ok
    text = " ".join(str(e) for e in report.errors)
    assert "校验位" in text and "行业门类" in text and "未知标签" in text
    assert not Enterprise.objects.filter(name__in=["甲食品有限公司", "乙公司", "丙公司"]).exists()


def test_import_then_export_round_trip_with_masked_phones(ew):
    report = import_workbook(
        TABLES["enterprises"](ew.officer),
        workbook(
            [[code(12), "丁农业合作社", "A", "微型", "颐和社区", "小微、初创", "赵主任", "13922220000"]]
        ),
    )
    assert report.ok, report.errors
    enterprise = Enterprise.objects.get(name="丁农业合作社")
    assert enterprise.contacts.get().phone == "13922220000"
    assert {t.name for t in enterprise.tags.all()} == {"小微", "初创"}
    out = io.BytesIO()
    export_workbook(TABLES["enterprises"](ew.officer), out)
    out.seek(0)
    values = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    row = next(r for r in values if r[1] == "丁农业合作社")
    assert "139****0000" in row


def test_figures_on_a_known_history(ew):
    today = dt.date.today()
    scope = metrics.Scope(viewer=ew.leader, start=today - dt.timedelta(days=30), end=today)

    def signed(name, amount, start=False, funds=None):
        p = actions.do_submit_lead(
            actor=ew.officer,
            name=name,
            investor="甲",
            industry=ew.industry,
            node=ew.w.community_a,
            planned_amount=amount,
        )
        p = actions.do_advance(p, actor=ew.officer, to=Stage.TALKS)
        actions.do_record_signing(p, actor=ew.officer, kind=SigningKind.FIRST, amount=amount, signed_on=today)
        p.refresh_from_db()
        if start:
            p = actions.do_advance(p, actor=ew.officer, to=Stage.LANDING)
            actions.do_record_milestone(p, actor=ew.officer, milestone=Milestone.APPROVED, on=today)
            actions.do_record_milestone(p, actor=ew.officer, milestone=Milestone.STARTED, on=today)
        if funds:
            actions.do_record_funds(p, actor=ew.officer, amount=funds, on=today)
        return p

    a = signed("甲", 10000, start=True, funds=4000)
    signed("乙", 6000)
    actions.do_record_signing(a, actor=ew.officer, kind=SigningKind.INCREASE, amount=2000, signed_on=today)
    actions.do_record_signing(a, actor=ew.officer, kind=SigningKind.RESIGN, amount=12000, signed_on=today)
    actions.do_submit_lead(
        actor=ew.officer,
        name="丙",
        investor="丙",
        industry=ew.industry,
        node=ew.w.community_a,
        planned_amount=100,
    )
    v = lambda c: metrics.value(f"enterprise.{c}", scope)  # noqa: E731
    assert v("signed_total") == Decimal("18000")  # 10000 + 6000 + 增资 2000; 续签 0
    assert v("signed_projects") == 2
    assert v("performance_rate") == Fraction(1, 2)
    assert v("start_rate") == Fraction(1, 2)
    assert v("funds_rate") == Fraction(4000, 18000)
    assert v("leads") == 3 and v("conversion") == Fraction(2, 3)
    problem = handle(ew, visit_problem(ew))
    actions.do_confirm_close(problem, contact=ew.contact_a)
    visit_problem(ew)
    assert v("problems_raised") == 2 and v("problems_closed") == 1 and v("close_rate") == Fraction(1, 2)
    assert v("on_time_rate") == 1
    # another officer's scope sees none of it
    other = metrics.Scope(viewer=ew.officer_b, start=scope.start, end=scope.end)
    assert metrics.value("enterprise.signed_total", other) == 0
