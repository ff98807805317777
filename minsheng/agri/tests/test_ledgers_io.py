"""The agri tables as xlsx: all-or-nothing imports with row errors, sources required on reference rows, scoped
exports that import again, and who may import what."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership
from minsheng.agri import actions
from minsheng.agri.choices import LabVerdict, ProducerKind
from minsheng.agri.judge import judge
from minsheng.agri.models import (
    AgriInputStore,
    MaximumResidueLimit,
    Pesticide,
    PesticideRule,
    Producer,
    ResponsibilityLetter,
    StandardDoc,
)
from minsheng.agri.spreadsheets import AGRI_TABLES
from minsheng.core.spreadsheet import export_workbook, import_workbook

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=TZ), tick=False):
        yield


def xlsx(headers, rows) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "t.xlsx"
    return out


def table(slug, user):
    return AGRI_TABLES[slug](user)


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


PRODUCER_HEADERS = [
    "名称",
    "类型",
    "所在村",
    "统一社会信用代码",
    "种植品种",
    "面积(亩)",
    "联系人",
    "联系电话",
]


def test_producer_import_is_all_or_nothing_with_row_errors(aw):
    rows = [
        ["东关豇豆合作社", "合作社", "东关村", "", "豆角、韭菜", 120.5, "王社长", 13812345678],
        ["火星农场", "家庭农场", "火星村", "", "", "", "", ""],
        ["东关豇豆合作社", "合作社", "东关村", "", "", "", "", ""],
        ["西关家庭农场", "外星人", "西关村", "", "榴莲", "很多", "", ""],
    ]
    report = import_workbook(table("agri-producers", aw.w.admin), xlsx(PRODUCER_HEADERS, rows))
    assert not report.ok and report.imported == 0
    found = errors_of(report)
    assert (3, "所在村", "找不到节点“火星村”（或不在您的管辖范围内）") in found
    assert any(row == 4 and "与第2行重复" in msg for row, _c, msg in found)
    assert {(row, col) for row, col, _m in found if row == 5} == {
        (5, "类型"),
        (5, "种植品种"),
        (5, "面积(亩)"),
    }
    assert Producer.objects.count() == 0  # nothing written, not even the good first row

    good = import_workbook(table("agri-producers", aw.w.admin), xlsx(PRODUCER_HEADERS, rows[:1]))
    assert good.ok and good.imported == 1
    producer = Producer.objects.get()
    assert producer.phone == "13812345678" and producer.area_mu == Decimal("120.5")
    assert sorted(c.name for c in producer.crops.all()) == ["豇豆", "韭菜"]  # 豆角 is an alias of 豇豆
    # an existing producer is reported, not overwritten
    again = import_workbook(table("agri-producers", aw.w.admin), xlsx(PRODUCER_HEADERS, rows[:1]))
    assert errors_of(again) == [(2, "名称", "该村已有“东关豇豆合作社”")]


def test_supervisor_only_imports_in_his_villages(aw):
    rows = [["东关店", "东关村", "", "否", ""], ["西关店", "西关村", "", "是", ""]]
    headers = ["名称", "所在村", "农药经营许可证号", "限用农药定点经营", "地址"]
    report = import_workbook(table("agri-stores", aw.supervisor), xlsx(headers, rows))
    assert errors_of(report) == [(3, "所在村", "找不到节点“西关村”（或不在您的管辖范围内）")]
    assert AgriInputStore.objects.count() == 0


def test_supervisor_links_import_and_export(aw, password):
    from minsheng.accounts import actions as account_actions

    new = account_actions.create_user(username="sup2", display_name="监管员小赵", password=password)
    headers = ["监管员账号", "负责村", "起始日期"]
    report = import_workbook(
        table("agri-supervisors", aw.w.admin),
        xlsx(headers, [["sup2", "西关村", "2026-01-01"], ["sup", "东关村", ""]]),
    )
    assert errors_of(report) == [(3, "负责村", "该账号已是该村的监管员")]
    report = import_workbook(
        table("agri-supervisors", aw.w.admin), xlsx(headers, [["sup2", "西关村", "2026-01-01"]])
    )
    assert report.ok
    assert Membership.objects.filter(user=new, role=Role.VILLAGE_SUPERVISOR, node=aw.village_2).exists()
    out = io.BytesIO()
    export_workbook(table("agri-supervisors", aw.w.admin), out)
    out.seek(0)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("监管员账号", "姓名", "负责村")
    assert {(r[0], r[2]) for r in rows[1:]} == {("sup", "城关街道 东关村"), ("sup2", "城关街道 西关村")}


def test_reference_import_requires_sources_and_known_names(aw):
    headers = ["农药", "食品类别", "除外", "最大残留限量(mg/kg)", "临时限量", "标准", "来源"]
    rows = [
        ["腐霉利", "韭菜", "", 3, "否", "GB 2763-2026", ""],
        ["不存在的农药", "韭菜", "", 1, "否", "GB 2763-2026", "某公告"],
        ["腐霉利", "榴莲", "", 1, "否", "GB 9999", "某公告"],
        ["腐霉利", "韭菜", "", -1, "否", "GB 2763-2026", "某公告"],
    ]
    before = MaximumResidueLimit.objects.count()
    report = import_workbook(table("agri-limits", aw.w.admin), xlsx(headers, rows))
    found = {(row, col) for row, col, _m in errors_of(report)}
    assert found == {(2, "来源"), (3, "农药"), (4, "食品类别"), (4, "标准"), (5, "最大残留限量(mg/kg)")}
    assert MaximumResidueLimit.objects.count() == before


def test_admin_enters_a_2026_limit_and_the_judgement_uses_it(aw):
    """The most urgent data gap: no GB 2763-2026 value ships. An admin imports one (with its source) and samples
    from 2026-03-01 are judged on it. The value here is a test value, not a claim about the standard."""
    assert StandardDoc.objects.filter(code="GB 2763-2026").exists()
    headers = ["农药", "食品类别", "最大残留限量(mg/kg)", "标准", "来源"]
    rows = [["腐霉利", "韭菜", 4, "GB 2763-2026", "测试：管理员录入的限量"]]
    procymidone, leek = aw.pesticide("腐霉利"), aw.commodity("韭菜")
    assert judge(procymidone, leek, Decimal("1"), dt.date(2026, 5, 1)).verdict == LabVerdict.NO_LIMIT
    report = import_workbook(table("agri-limits", aw.w.admin), xlsx(headers, rows))
    assert report.ok, errors_of(report)
    result = judge(procymidone, leek, Decimal("4.5"), dt.date(2026, 5, 1))
    assert result.verdict == LabVerdict.OVER_LIMIT and result.limit.mg_per_kg == Decimal("4")
    assert result.limit.source == "测试：管理员录入的限量"
    # the earlier standard still judges earlier samples
    assert judge(procymidone, leek, Decimal("4.5"), dt.date(2025, 5, 1)).verdict == LabVerdict.PASS


def test_rule_import(aw):
    headers = ["农药", "类型", "禁用范围", "范围原文", "起始日期", "截止日期", "公告", "来源"]
    pesticides = import_workbook(
        table("agri-pesticides", aw.w.admin),
        xlsx(["农药名称", "类别", "来源"], [["测试磷", "有机磷类", "测试来源"]]),
    )
    assert pesticides.ok
    assert Pesticide.objects.get(name="测试磷").enzyme_inhibitable
    rows = [
        ["测试磷", "在部分范围禁用", "蔬菜、瓜果", "蔬菜、瓜果", "2027-01-01", "", "测试公告1号", "测试来源"],
        ["测试磷", "在部分范围禁用", "", "", "", "", "", "测试来源"],
    ]
    report = import_workbook(table("agri-rules", aw.w.admin), xlsx(headers, rows))
    assert errors_of(report) == [
        (2, "禁用范围", "找不到食品类别“瓜果”（请填写名称或别名）"),
        (3, "禁用范围", "在部分范围禁用的规定须填写禁用范围"),
    ]
    rows[0][2] = "蔬菜、水果"
    report = import_workbook(table("agri-rules", aw.w.admin), xlsx(headers, rows[:1]))
    assert report.ok
    rule = PesticideRule.objects.get(pesticide__name="测试磷")
    assert sorted(c.name for c in rule.scopes.all()) == ["水果", "蔬菜"]
    assert rule.effective_from == dt.date(2027, 1, 1) and rule.source == "测试来源"


def test_reference_import_needs_configure_capability(aw, password):
    from minsheng.accounts import actions as account_actions

    cadre = account_actions.create_user(username="cadre", display_name="街道干部", password=password)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=aw.w.street)
    headers = ["农药名称", "类别", "来源"]
    report = import_workbook(
        table("agri-pesticides", cadre), xlsx(headers, [["测试磷", "有机磷类", "测试来源"]])
    )
    assert not report.ok and "没有" in report.errors[0].message
    assert not Pesticide.objects.filter(name="测试磷").exists()


def _roundtrip(slug, user, delete):
    out = io.BytesIO()
    exported = export_workbook(table(slug, user), out, unmasked=True)
    delete()
    out.seek(0)
    report = import_workbook(table(slug, user), out)
    assert report.ok, errors_of(report)
    assert report.imported == exported
    return exported


def test_export_round_trip_letters_and_producers(aw):
    p = actions.create_producer(
        actor=aw.w.admin,
        name="东关豇豆合作社",
        kind=ProducerKind.COOPERATIVE,
        village=aw.village_1,
        crops=[aw.commodity("豇豆")],
        phone="13812345678",
        area_mu=Decimal("12.5"),
    )
    base = {"year": 2026, "signed_on": dt.date(2026, 1, 10), "party_a": "街道办", "party_b": "签字人"}
    actions.record_letter(actor=aw.w.admin, level="village", village=aw.village_2, note="备注", **base)
    actions.record_letter(actor=aw.w.admin, level="supervisor", supervisor=aw.supervisor, **base)
    actions.record_letter(actor=aw.w.admin, level="producer", producer=p, **base)

    def snapshot():
        return sorted(
            (
                x.level,
                x.year,
                x.signed_on,
                x.village.name,
                x.supervisor_id,
                x.producer_id,
                x.party_a,
                x.party_b,
                x.note,
            )
            for x in ResponsibilityLetter.objects.all()
        )

    letters = snapshot()
    assert _roundtrip("agri-letters", aw.w.admin, ResponsibilityLetter.objects.all().delete) == 3
    assert snapshot() == letters

    def producers():
        return [
            (x.name, x.kind, x.village_id, x.phone, x.area_mu, sorted(c.name for c in x.crops.all()))
            for x in Producer.objects.all()
        ]

    before = producers()
    ResponsibilityLetter.objects.all().delete()
    assert _roundtrip("agri-producers", aw.w.admin, Producer.objects.all().delete) == 1
    assert producers() == before


def test_export_is_scoped_and_masked(aw):
    actions.create_producer(
        actor=aw.w.admin, name="东关", kind=ProducerKind.GROWER, village=aw.village_1, phone="13812345678"
    )
    actions.create_producer(
        actor=aw.w.admin, name="西关", kind=ProducerKind.GROWER, village=aw.village_2, phone="13812345679"
    )
    out = io.BytesIO()
    export_workbook(table("agri-producers", aw.supervisor), out, unmasked=True)
    out.seek(0)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))[1:]
    assert [(r[0], r[8]) for r in rows] == [("东关", "138****5678")]  # a supervisor cannot unmask


def test_commands_export_and_import(aw, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "rules.xlsx"
    call_command("agri_export", "agri-rules", str(out), user="admin")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "农药" and len(rows) == PesticideRule.objects.count() + 1
    assert all(r[-1] for r in rows[1:])  # every shipped rule carries its source
    with pytest.raises(CommandError, match="没有导入该表的权限"):
        call_command("agri_import", "agri-rules", str(out), user="sup")
    # the exported rules are all on record already: every row is reported, nothing written
    with pytest.raises(CommandError, match="整个文件未导入"):
        call_command("agri_import", "agri-rules", str(out), user="admin")
