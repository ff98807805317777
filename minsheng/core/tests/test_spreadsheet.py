"""The spreadsheet framework on its own: lenient cell reading, the all-or-nothing importer, file-level refusals and
the look of exported sheets. The organisation registries' own tests are in org/tests/test_spreadsheets.py."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from openpyxl import Workbook, load_workbook

from minsheng.accounts.models import User
from minsheng.core import spreadsheet
from minsheng.core.models import AuditLog, CalendarOverride
from minsheng.core.spreadsheet import (
    CellError,
    Column,
    Resource,
    export_workbook,
    import_workbook,
    read_bool,
    read_choice,
    read_code,
    read_date,
    read_list,
    read_phone,
    template_workbook,
)


class Colour(models.TextChoices):
    RED = "red", "红色"
    BLUE = "blue", "蓝色"


# -- reading cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("11010519491231002x", "11010519491231002X"),
        ("370724001001", "370724001001"),
    ],
)
def test_codes_survive_excel_turning_them_into_numbers(cell, expected):
    assert read_code(cell) == expected


@pytest.mark.parametrize("cell", [3.70724199001011e17, "3.70724E+17", 1381.5, True])
def test_codes_that_excel_has_already_damaged_are_refused(cell):
    with pytest.raises(CellError):
        read_code(cell)


def test_phone_numbers_allow_landlines_but_not_words():
    assert read_phone("0634-1234567") == "0634-1234567"
    with pytest.raises(CellError, match="电话号码格式不正确"):
        read_phone("找王主任")


@pytest.mark.parametrize(
    "cell",
    [
        dt.datetime(2025, 1, 2),
        dt.date(2025, 1, 2),
        "2025-01-02",
        "2025/1/2",
        "2025.1.2",
        "2025年1月2日",
        "20250102",
        20250102,
        45659,  # the Excel serial number of 2025-01-02 in a cell without a date format
        "2025-01-02 00:00:00",
    ],
)
def test_dates_in_the_forms_staff_type_them(cell):
    assert read_date(cell) == dt.date(2025, 1, 2)


def test_a_date_that_is_not_one():
    with pytest.raises(CellError, match="日期格式不正确"):
        read_date("明天")


@pytest.mark.parametrize(
    ("cell", "expected"), [("是", True), ("否", False), (True, True), (1, True), (0.0, False), ("Y", True)]
)
def test_yes_and_no(cell, expected):
    assert read_bool(cell) is expected


def test_yes_or_no_rejects_anything_else():
    with pytest.raises(CellError, match="请填写“是”或“否”"):
        read_bool("也许")


def test_lists_split_on_chinese_and_western_separators():
    assert read_list("老年人、低保,独居，党员;残疾人；") == ["老年人", "低保", "独居", "党员", "残疾人"]


def test_choices_accept_the_label_or_the_code():
    assert read_choice("红色", Colour) == "red"
    assert read_choice("blue", Colour) == "blue"
    with pytest.raises(CellError, match="“绿色”不是可选值，可选：红色、蓝色"):
        read_choice("绿色", Colour)


# -- a small registry for the engine ------------------------------------------------------------------


class CalendarResource(Resource):
    """Calendar overrides as a sheet: saves with the ORM directly, which only a test may do."""

    slug = "calendar"
    title = "日历"
    model = CalendarOverride
    columns = (
        Column("日期", "date", kind="date", required=True),
        Column("上班", "is_workday", kind="bool"),
        Column("名称", "name", width=20),
        Column("颜色", "colour", kind="choice", choices=Colour),
        Column("电话", "phone", kind="phone", pii="phone"),
    )
    unique_together = (("date",),)
    example = {"date": dt.date(2026, 2, 14), "is_workday": True, "name": "春节调休", "colour": "red"}
    export_capability = import_capability = pii_capability = "core.test"

    def save(self, row):
        if row["name"] == "坏":
            raise ValidationError({"name": "名称不能叫坏", "date": "日期也不行"})
        if row["name"] == "禁":
            raise PermissionDenied("没有权限执行此操作")
        CalendarOverride.objects.create(date=row["date"], is_workday=row["is_workday"], name=row["name"])

    def audit_target(self, capability):
        return self.user

    # export: plain objects; the test says which rows the user may see unmasked
    def export_rows(self):
        return self.rows

    def may_unmask(self):
        return lambda obj: obj.clear


@pytest.fixture
def user(db):
    return User.objects.create_user("it", password="x")


def sheet(rows: list[list], headers=("日期", "上班", "名称", "颜色", "电话")) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_a_good_file_is_saved_and_summarised_in_the_audit_log(user):
    report = import_workbook(
        CalendarResource(user),
        sheet([["2026-02-14", "是", "调休"], [], [dt.date(2026, 2, 15), "否", "春节", "红色"]]),
        filename="日历.xlsx",
    )
    assert report.ok and report.rows == 2 and report.imported == 2
    assert report.summary() == "成功导入2行"
    assert set(CalendarOverride.objects.values_list("name", "is_workday")) == {
        ("调休", True),
        ("春节", False),
    }
    entry = AuditLog.objects.get(action=AuditLog.Action.IMPORT)
    assert entry.user == user and entry.changes == {"registry": "calendar", "rows": 2, "file": "日历.xlsx"}
    assert entry.note == "导入日历 2 行"


def test_one_bad_row_rolls_back_every_row_and_all_are_reported(user):
    before = AuditLog.objects.count()
    report = import_workbook(
        CalendarResource(user),
        sheet(
            [
                ["2026-02-14", "是", "好"],  # row 2: saved, then rolled back
                ["2026-02-15", "也许", "好"],  # row 3: unreadable cell
                ["2026-02-16", "", "坏"],  # row 4: the save refuses (two fields)
                ["2026-02-14", "", "又一个"],  # row 5: repeats row 2
                ["2026-02-17", "", "禁"],  # row 6: not allowed
                ["", "", "无日期", "黄色"],  # row 7: two problems in one row
            ]
        ),
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "上班", "请填写“是”或“否”"),
        (4, "名称", "名称不能叫坏"),
        (4, "日期", "日期也不行"),
        (5, "日期", "与第2行重复（日期相同）"),
        (6, "", "没有权限执行此操作"),
        (7, "日期", "必填，不能为空"),
        (7, "颜色", "“黄色”不是可选值，可选：红色、蓝色"),
    ]
    assert report.bad_rows == 5 and report.imported == 0
    assert str(report.errors[0]) == "第3行 [上班] 请填写“是”或“否”"
    assert not CalendarOverride.objects.exists()
    assert AuditLog.objects.count() == before  # no CREATE rows, no IMPORT summary


def test_a_dry_run_reads_and_saves_every_row_then_rolls_back(user):
    report = import_workbook(CalendarResource(user), sheet([["2026-02-14", "是", "调休"]]), dry_run=True)
    assert report.ok and report.rows == 1 and report.imported == 0
    assert not CalendarOverride.objects.exists() and not AuditLog.objects.exists()


def test_too_many_rows_is_one_clear_message_and_nothing_is_kept(user, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 2)
    rows = [[f"2026-03-0{d}", "", "x"] for d in range(1, 4)]
    report = import_workbook(CalendarResource(user), sheet(rows))
    assert report.file_error == "行数超过上限：每个文件最多 2 行，请拆分后分批导入"
    assert not CalendarOverride.objects.exists()


def test_too_large_a_file_is_refused_before_it_is_read(user, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_FILE_BYTES", 100)
    report = import_workbook(CalendarResource(user), sheet([["2026-02-14"]]))
    assert report.file_error.startswith("文件过大") and not report.errors


def test_a_sheet_without_our_headers(user):
    report = import_workbook(CalendarResource(user), sheet([["x"]], headers=("甲", "乙")))
    assert report.file_error == "找不到列名行：前 10 行中没有“日历台账”的列名，请使用导入模板"


def test_the_report_keeps_a_bounded_number_of_errors(user, monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_REPORTED_ERRORS", 2)
    report = import_workbook(CalendarResource(user), sheet([["坏日子"]] * 5))
    assert report.error_count == 5 and len(report.errors) == 2 and report.errors_truncated


# -- writing ---------------------------------------------------------------------------------------


def test_export_sheet_masks_per_row_and_never_writes_formulas(user):
    resource = CalendarResource(user)
    resource.rows = [
        SimpleNamespace(
            date=dt.date(2026, 2, 14),
            is_workday=True,
            name="=cmd|'/c calc'!A1",
            colour="red",
            phone="13812345678",
            clear=True,
        ),
        SimpleNamespace(
            date=None, is_workday=False, name="春节\x07", colour="", phone="13987654321", clear=False
        ),
    ]
    out = io.BytesIO()
    assert export_workbook(resource, out, unmasked=True) == 2
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "日历台账" and ws.freeze_panes == "A2"
    assert ws["A1"].font.b and ws.column_dimensions["C"].width == 20
    assert [c.value for c in ws[2]] == [
        dt.datetime(2026, 2, 14),
        "是",
        "=cmd|'/c calc'!A1",
        "红色",
        "13812345678",
    ]
    assert ws["C2"].data_type == "s"  # text, not a formula
    assert [c.value for c in ws[3]] == [None, "否", "春节", None, "139****4321"]
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.changes == {"registry": "calendar", "rows": 2, "unmasked_rows": 1}

    out = io.BytesIO()
    export_workbook(resource, out)  # not asked: masked for everyone
    assert load_workbook(out).worksheets[0]["E2"].value == "138****5678"


def test_template_offers_dropdowns_and_explains_every_column(user):
    out = io.BytesIO()
    template_workbook(CalendarResource(user), out)
    workbook = load_workbook(out)
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == ["日期", "上班", "名称", "颜色", "电话"]
    assert [c.value for c in data[2]][:4] == [dt.datetime(2026, 2, 14), "是", "春节调休", "红色"]
    lists = {v.formula1 for v in data.data_validations.dataValidation}
    assert lists == {'"是,否"', '"红色,蓝色"'}
    assert data["E3"].number_format == "@"  # phone column typed as text
    described = [row[0] for row in notes.iter_rows(values_only=True)]
    assert {"日期", "上班", "名称", "颜色", "电话"} <= set(described)
