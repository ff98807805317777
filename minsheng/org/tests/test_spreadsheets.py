"""The registries as xlsx: bad rows reported and nothing written, imports through actions, scoped and masked exports,
round trips, the web pages and the commands."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.core.models import AuditLog
from minsheng.core.spreadsheet import export_workbook, import_workbook, resources, template_workbook
from minsheng.org import actions
from minsheng.org.choices import NodeKind
from minsheng.org.models import Grid, Household, Node, Resident
from minsheng.org.validators import id_check_digit
from minsheng.testing.world import square

pytestmark = pytest.mark.django_db

UNIT_A = "城关街道 颐和社区 颐和家园 1号楼 1单元"
UNIT_B = "城关街道 龙泉社区 龙泉小区 3号楼 2单元"
RESIDENT_HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "手机号",
    "身份证号",
    "地址",
    "门牌/房号",
    "与户主关系",
    "标签",
]


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


def with_wrong_check(first17: str) -> str:
    right = id_check_digit(first17)
    return first17 + ("1" if right != "1" else "2")


def xlsx(headers: list, rows: list[list], title: str = "Sheet") -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "台账.xlsx"
    return out


def sheet_rows(data) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def run_import(slug: str, user, fileobj, **kwargs):
    return import_workbook(resources("org")[slug](user), fileobj, **kwargs)


def run_export(slug: str, user, *, unmasked: bool = False) -> list[tuple]:
    out = io.BytesIO()
    export_workbook(resources("org")[slug](user), out, unmasked=unmasked)
    return sheet_rows(out.getvalue())


def counts() -> dict[str, int]:
    return {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "nodes": Node.objects.count(),
        "grids": Grid.objects.count(),
        "audit": AuditLog.objects.count(),
        "resident_audit": AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Resident)
        ).count(),
    }


# -- importing -------------------------------------------------------------------------------------


def test_good_file_imports_every_row_through_the_actions(world):
    file = xlsx(
        RESIDENT_HEADERS + ["备注"],
        [
            [
                "张秀兰",
                "",
                "",
                "13812345678",
                id_number("37072419580312002"),
                UNIT_A,
                "701",
                "户主",
                "老年人、独居",
            ],
            ["李建国", "男", "1960-05-01", "13912345678", "", UNIT_A, "701", "配偶", "党员,老年人", "新迁入"],
            ["王小明", "", "", "", "", "颐和家园", "", "", ""],
        ],
    )
    report = run_import("residents", world.worker_a, file, filename="居民.xlsx")
    assert report.ok, report.errors
    assert report.summary() == "成功导入3行"
    zhang = Resident.objects.get(name="张秀兰")
    assert zhang.birth_date == dt.date(1958, 3, 12) and zhang.gender == "F"  # from the ID number
    assert set(zhang.tags.values_list("code", flat=True)) == {"elderly", "alone"}
    household = zhang.household
    assert household.room == "701" and household.head_name == "张秀兰"
    assert (
        Resident.objects.get(name="李建国").household == household
    )  # the same room joins the same household
    assert Resident.objects.get(name="王小明").node == world.estate_a  # an unambiguous short name is enough
    created = AuditLog.objects.filter(
        action=AuditLog.Action.CREATE, content_type=ContentType.objects.get_for_model(Resident)
    )
    assert created.count() == 3 and set(created.values_list("user", flat=True)) == {world.worker_a.pk}
    summary = AuditLog.objects.get(action=AuditLog.Action.IMPORT)
    assert summary.user == world.worker_a and summary.changes["rows"] == 3
    assert summary.changes["file"] == "居民.xlsx"


def test_bad_rows_are_each_reported_and_nothing_is_written(world):
    good_id = id_number("37072419900101001")
    file = xlsx(
        RESIDENT_HEADERS,
        [
            ["甲", "", "", "", with_wrong_check("37072419800101002"), UNIT_A, "", "", ""],  # row 2
            ["乙", "", "", "", "", "城关街道 颐和社区 不存在的小区", "", "", ""],  # row 3
            ["丙", "", "", "", "", UNIT_A, "", "", "老年人、外星人"],  # row 4
            ["丁", "", "", "", good_id, UNIT_A, "", "", ""],  # row 5: fine on its own
            ["戊", "", "", "", good_id, UNIT_A, "", "", ""],  # row 6: repeats row 5's ID
            ["己", "女", "", "", "", UNIT_A, "", "", ""],  # row 7: fine
            ["", "", "", "", "", UNIT_A, "", "", ""],  # row 8: no name
            ["庚", "其他", "", "", "", UNIT_A, "", "", "外星人"],  # row 9: two mistakes
        ],
    )
    before = counts()
    report = run_import("residents", world.worker_a, file)
    assert not report.ok
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors[(2, "身份证号")] == "身份证号码校验位错误"
    assert errors[(3, "地址")] == "找不到节点“城关街道 颐和社区 不存在的小区”（或不在您的管辖范围内）"
    assert errors[(4, "标签")] == "未知的标签：外星人"
    assert errors[(6, "身份证号")] == "与第5行重复（身份证号相同）"
    assert errors[(8, "姓名")] == "必填，不能为空"
    assert errors[(9, "性别")] == "“其他”不是可选值，可选：男、女"
    assert errors[(9, "标签")] == "未知的标签：外星人"
    assert {e.row for e in report.errors} == {2, 3, 4, 6, 8, 9}
    assert report.imported == 0
    assert "6 行有错误" in report.summary() and "整个文件未导入" in report.summary()
    assert counts() == before  # rows 5 and 7 were saved in their savepoints, then rolled back with the file


def test_node_rows_with_bad_kind_or_geometry(world):
    bowtie = '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}'
    file = xlsx(
        ["上级节点", "类型", "名称", "统计用区划代码", "几何（GeoJSON）"],
        [
            ["城关街道 颐和社区", "小区", "新苑", "", ""],  # row 2: fine
            ["城关街道 颐和社区 新苑", "大楼", "1号楼", "", ""],  # row 3: unknown kind
            ["城关街道 颐和社区 新苑", "楼栋", "2号楼", "", bowtie],  # row 4: self-intersecting
            ["城关街道 颐和社区 新苑", "楼栋", "3号楼", "", "不是地图"],  # row 5: not JSON
            ["城关街道 颐和社区", "单元", "奇怪单元", "", ""],  # row 6: against the tree grammar
            ["城关街道 颐和社区", "小区", "颐和家园", "", ""],  # row 7: exists already
            ["城关街道 颐和社区", "小区", "新苑", "", ""],  # row 8: repeats row 2
        ],
    )
    before = counts()
    report = run_import("nodes", world.admin, file)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors[(3, "类型")].startswith("“大楼”不是可选值，可选：市、县/区、街道/乡镇、社区、村、小区")
    assert errors[(4, "几何（GeoJSON）")] == "多边形无效（自相交或不闭合）"
    assert errors[(5, "几何（GeoJSON）")].startswith("不是有效的 GeoJSON 文本")
    assert errors[(6, "类型")] == "“单元”不能建在“社区”之下"
    assert errors[(7, "名称")] == "“城关街道 颐和社区”下已有“颐和家园”"
    assert errors[(8, "名称")] == "与第2行重复（上级节点、名称相同）"
    assert counts() == before


def test_cells_typed_as_numbers_dates_and_lower_case_x(world):
    file = xlsx(
        RESIDENT_HEADERS,
        [
            ["甲", "", dt.datetime(1970, 1, 2), 13812345678.0, "11010519491231002x", UNIT_A, 101, "", ""],
            ["乙", "女", "1985/3/9", 13912345678, "", UNIT_A, 101.0, "", ""],
            ["丙", "", "1990年12月1日", "13712345678.0", "", UNIT_A, "", "", ""],
        ],
    )
    report = run_import("residents", world.worker_a, file)
    assert report.ok, report.errors
    jia, yi, bing = (Resident.objects.get(name=n) for n in "甲乙丙")
    assert (jia.phone, jia.id_number, jia.birth_date) == (
        "13812345678",
        "11010519491231002X",
        dt.date(1970, 1, 2),
    )
    assert (yi.phone, yi.birth_date) == ("13912345678", dt.date(1985, 3, 9))
    assert jia.household == yi.household and jia.household.room == "101"
    assert (bing.phone, bing.birth_date) == ("13712345678", dt.date(1990, 12, 1))


def test_an_id_number_excel_stored_as_a_number_is_explained(world):
    file = xlsx(RESIDENT_HEADERS, [["甲", "", "", "", 370724199001011234, UNIT_A, "", "", ""]])
    report = run_import("residents", world.worker_a, file)
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert "设为“文本”格式" in report.errors[0].message


def test_dry_run_checks_everything_and_writes_nothing(world):
    file = xlsx(RESIDENT_HEADERS, [["甲", "", "", "13812345678", "", UNIT_A, "301", "户主", "低保"]])
    before = counts()
    report = run_import("residents", world.worker_a, file, dry_run=True)
    assert report.ok and report.rows == 1 and report.imported == 0
    assert "仅校验" in report.summary()
    assert counts() == before


def test_a_worker_cannot_import_rows_into_another_community(world):
    file = xlsx(
        RESIDENT_HEADERS,
        [["甲", "", "", "", "", UNIT_A, "", "", ""], ["乙", "", "", "", "", UNIT_B, "", "", ""]],
    )
    before = counts()
    report = run_import("residents", world.worker_a, file)
    assert [(e.row, e.column) for e in report.errors] == [(3, "地址")]
    assert "不在您的管辖范围内" in report.errors[0].message
    assert counts() == before


def test_a_title_row_above_the_headers_and_extra_columns_are_fine(world):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["颐和社区居民台账（2025年）"])
    ws.append(["序号", "姓名*", "地址", "手机号", "说明"])
    ws.append([1, "甲", UNIT_A, "13812345678", "随便写"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    report = run_import("residents", world.worker_a, out)
    assert report.ok, report.errors
    assert Resident.objects.get().phone == "13812345678"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls 文件"),
        ("name,phone\n张三,138\n".encode(), "不是 xlsx 格式"),
        (b"PK\x03\x04 broken zip", "已损坏"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_one_clear_message(world, content, message):
    report = run_import("residents", world.worker_a, io.BytesIO(content))
    assert not report.ok and message in report.file_error and not report.errors


def test_missing_required_headers_are_named(world):
    report = run_import("residents", world.worker_a, xlsx(["姓名", "手机号"], [["甲", "138"]]))
    assert report.file_error == "第1行的列名中缺少必填列：地址（请使用导入模板中的列名）"


# -- other registries ------------------------------------------------------------------------------


def test_grids_party_property_and_assignments_import(world):
    steps = [
        (
            "grids",
            ["网格编码", "所属社区/村", "网格名称", "网格员", "协管员", "覆盖节点", "边界（GeoJSON）"],
            [
                [
                    "",
                    "颐和社区",
                    "第一网格",
                    13800000003,
                    "worker_a",
                    "颐和家园",
                    '{"type":"Polygon","coordinates":[[[118.5,36.5],[118.505,36.5],[118.505,36.505],[118.5,36.5]]]}',
                ]
            ],
        ),
        (
            "party-orgs",
            ["上级党组织", "类型", "名称", "所在节点"],
            [
                ["", "社区党委", "颐和社区党委", "颐和社区"],
                ["颐和社区党委", "小区党支部", "颐和家园党支部", "颐和家园"],
            ],
        ),
        (
            "party-members",
            ["所在党组织", "姓名", "职务", "手机号", "负责楼栋/单元"],
            [["颐和家园党支部", "赵楼长", "楼长", 13600000000, "1号楼"]],
        ),
        (
            "assignments",
            ["类型", "负责节点", "负责人账号", "负责党员", "党员所在党组织", "起始日期", "截止日期"],
            [
                ["社区干部靠小区", "颐和家园", "13800000002", "", "", "2025-01-01", ""],
                ["居民党员包楼栋", "1号楼", "", "赵楼长", "颐和家园党支部", "", ""],
            ],
        ),
        ("property-companies", ["企业名称", "统一社会信用代码", "街道领办"], [["城关物业", "", "是"]]),
        (
            "estates",
            ["小区", "物业状态", "物业企业", "红色物业", "已成立业委会", "业委会电话"],
            [["颐和家园", "街道兜底", "城关物业", "是", "否", 13500000000]],
        ),
    ]
    for slug, headers, rows in steps:
        report = run_import(slug, world.worker_a, xlsx(headers, rows))
        assert report.ok, (slug, [str(e) for e in report.errors])
    slug, headers, rows = steps[0]
    again = run_import(slug, world.worker_a, xlsx(headers, rows))
    assert [(e.row, e.column, e.message) for e in again.errors] == [
        (2, "网格名称", "“颐和社区”已有网格“第一网格”")
    ]
    grid = Grid.objects.get()
    assert grid.code == "370724001001001" and grid.worker == world.grid_a
    assert list(grid.deputies.all()) == [world.worker_a] and list(grid.nodes.all()) == [world.estate_a]
    estate = world.estate_a.property_profile
    assert estate.is_red_property and estate.company.is_street_led and estate.committee_phone == "13500000000"
    assert world.building_a.assignments.get().party_member.name == "赵楼长"


def test_a_party_member_row_that_breaks_the_action_rules(world):
    actions.create_party_org(parent=None, kind="committee", name="颐和社区党委", node=world.community_a)
    file = xlsx(
        ["所在党组织", "姓名", "职务", "负责楼栋/单元"],
        [["颐和社区党委", "钱", "楼长", ""], ["颐和社区党委", "孙", "单元长", "颐和家园"]],
    )
    report = run_import("party-members", world.worker_a, file)
    errors = {(e.row, e.column): e.message for e in report.errors}
    assert errors == {
        (2, "负责楼栋/单元"): "楼长/单元长须指定负责的楼栋或单元",
        (3, "负责楼栋/单元"): "负责节点必须是楼栋或单元",
    }


def test_a_credit_code_with_a_wrong_check_character(world):
    file = xlsx(["企业名称", "统一社会信用代码"], [["甲物业", "91370724MA3C00000A"]])
    report = run_import("property-companies", world.admin, file)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "统一社会信用代码", "统一社会信用代码校验位错误")
    ]


# -- exporting -------------------------------------------------------------------------------------


@pytest.fixture
def two_residents(world):
    household = actions.register_household(node=world.unit_a, room="701")
    a = actions.register_resident(
        name="张秀兰",
        node=world.unit_a,
        household=household,
        phone="13812345678",
        id_number=id_number("37072419580312002"),
        tags=["elderly"],
    )
    b = actions.register_resident(name="李国强", node=world.unit_b, phone="13987654321")
    return a, b


def test_export_is_scoped_to_the_user(world, two_residents):
    names = [row[0] for row in run_export("residents", world.worker_a)[1:]]
    assert names == ["张秀兰"]
    assert [row[0] for row in run_export("residents", world.admin)[1:]] == ["张秀兰", "李国强"]


def test_export_masks_personal_data_by_default(world, two_residents):
    header, row = run_export("residents", world.admin)[:2]
    cells = dict(zip(header, row, strict=True))
    assert cells["手机号"] == "138****5678"
    full_id = id_number("37072419580312002")
    assert cells["身份证号"] == full_id[:4] + "*" * 10 + full_id[-4:]
    assert "1号楼" not in cells["地址"] and cells["门牌/房号"] == "****"
    assert cells["出生日期"] == "1958年" and cells["标签"] == "老年人"


def test_unmasked_export_needs_the_capability_and_is_audited(world, two_residents):
    header, row, _ = run_export("residents", world.admin, unmasked=True)
    cells = dict(zip(header, row, strict=True))
    assert cells["手机号"] == "13812345678" and cells["地址"] == UNIT_A and cells["门牌/房号"] == "701"
    entry = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("pk")
    assert entry.user == world.admin and entry.changes == {
        "registry": "residents",
        "rows": 2,
        "unmasked_rows": 2,
    }
    assert entry.object_id == str(world.street.pk)

    cadre = account_actions.create_user(username="cadre", display_name="科室干部", password=None)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    rows = run_export("residents", cadre, unmasked=True)
    assert rows[1][3] == "138****5678"  # asked, but a cadre may not see personal data
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("pk").changes["unmasked_rows"] == 0


def test_export_query_count_does_not_grow_with_rows(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            run_export("residents", world.admin, unmasked=True)
        return len(ctx)

    for i in range(3):
        actions.register_resident(name=f"甲{i}", node=world.unit_a, phone="13800000000", tags=["elderly"])
    queries()  # warm the content-type cache the audit record uses
    few = queries()
    for i in range(20):
        household = actions.register_household(node=world.unit_b, room=str(i))
        actions.register_resident(
            name=f"乙{i}", node=world.unit_b, household=household, tags=["party", "alone"]
        )
    assert queries() == few


def test_export_sheet_looks_like_a_ledger(world, two_residents):
    out = io.BytesIO()
    export_workbook(resources("org")["residents"](world.admin), out)
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "居民台账"
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert ws.column_dimensions["E"].width >= 18  # 身份证号


def test_round_trip_into_an_empty_database(db):
    """Export unmasked, empty the registries, import the files again: the second export equals the first."""
    root = User.objects.create_superuser("root", password="x")
    worker = account_actions.create_user(
        username="gw", display_name="网格员甲", phone="13700000001", password=None
    )
    street = actions.create_node(parent=None, kind=NodeKind.STREET, name="东城街道", code="370724002000")
    village = actions.create_node(
        parent=street, kind=NodeKind.VILLAGE, name="樱桃村", code="370724002201", geometry=square(118.4, 36.4)
    )
    hamlet = actions.create_node(parent=village, kind=NodeKind.NATURAL_VILLAGE, name="前庄")
    actions.create_node(parent=hamlet, kind=NodeKind.BUILDING, name="=1号院")  # never a formula
    actions.create_grid(
        community=village,
        name="樱桃一网格",
        worker=worker,
        nodes=[hamlet],
        boundary=square(118.4, 36.4, 0.005),
    )
    household = actions.register_household(node=hamlet, room="东12号")
    actions.register_resident(
        name="周大娘",
        node=hamlet,
        household=household,
        phone="13712345678",
        id_number=id_number("37072419500101002"),
        relation="户主",
        tags=["elderly", "alone"],
    )
    actions.register_resident(name="周小", node=hamlet, gender="M", birth_date=dt.date(2010, 6, 1))

    slugs = ["nodes", "grids", "residents"]
    files = {}
    for slug in slugs:
        out = io.BytesIO()
        export_workbook(resources("org")[slug](root), out, unmasked=True)
        files[slug] = out.getvalue()

    Resident.objects.all().delete()
    Household.objects.all().delete()
    Grid.objects.all().delete()
    Node.objects.all().delete()

    for slug in slugs:
        report = run_import(slug, root, io.BytesIO(files[slug]))
        assert report.ok, (slug, [str(e) for e in report.errors])
    for slug in slugs:
        assert run_export(slug, root, unmasked=True) == sheet_rows(files[slug]), slug
    assert Node.objects.get(name="=1号院").full_name == "东城街道 樱桃村 前庄 =1号院"


def test_template_has_headers_an_example_and_notes(world):
    out = io.BytesIO()
    template_workbook(resources("org")["residents"](world.worker_a), out)
    workbook = load_workbook(out)
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == RESIDENT_HEADERS + ["备注"]
    assert data["A2"].value == "王五"
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "任何一行有错误时整个文件都不会导入" in text
    assert "老年人、低保、党员" in text  # the tag names
    assert "男、女" in text


# -- web pages -------------------------------------------------------------------------------------


def test_index_shows_buttons_per_capability(world, client_for):
    page = client_for(world.worker_a).get(reverse("org_io:index")).content.decode()
    assert reverse("org_io:import", args=["residents"]) in page
    assert reverse("org_io:template", args=["residents"]) in page
    assert 'name="unmasked"' in page

    cadre = account_actions.create_user(username="cadre", display_name="科室干部", password=None)
    account_actions.grant_membership(user=cadre, role=Role.STREET_CADRE, node=world.street)
    page = client_for(cadre).get(reverse("org_io:index")).content.decode()
    assert reverse("org_io:export", args=["residents"]) in page
    assert reverse("org_io:import", args=["residents"]) not in page and 'name="unmasked"' not in page

    assert client_for(world.grid_b).get(reverse("org_io:index")).status_code == 403


def test_web_export_downloads_a_scoped_masked_sheet(world, two_residents, client_for):
    client = client_for(world.worker_a)
    response = client.get(reverse("org_io:export", args=["residents"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(b"".join(response.streaming_content))
    assert [r[0] for r in rows[1:]] == ["张秀兰"] and rows[1][3] == "138****5678"

    response = client.get(reverse("org_io:export", args=["residents"]) + "?unmasked=1")
    assert (
        sheet_rows(b"".join(response.streaming_content))[1][3] == "138****5678"
    )  # only a POSTed form unmasks
    response = client.post(reverse("org_io:export", args=["residents"]), {"unmasked": "1"})
    assert sheet_rows(b"".join(response.streaming_content))[1][3] == "13812345678"
    assert client.get(reverse("org_io:export", args=["nonsense"])).status_code == 404


def test_web_import_page_renders_the_row_report(world, client_for):
    client = client_for(world.worker_a)
    url = reverse("org_io:import", args=["residents"])
    assert "仅校验" in client.get(url).content.decode()
    bad = xlsx(
        RESIDENT_HEADERS,
        [["甲", "", "", "", "", UNIT_A, "", "", ""], ["乙", "", "", "", "", "火星", "", "", ""]],
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "行号" in page and "找不到节点“火星”" in page and "整个文件未导入" in page
    assert not Resident.objects.exists()

    good = xlsx(RESIDENT_HEADERS, [["甲", "", "", "", "", UNIT_A, "", "", ""]])
    response = client.post(url, {"file": good, "dry_run": "on"})
    assert response.status_code == 200 and "未写入任何数据" in response.content.decode()
    assert not Resident.objects.exists()
    good.seek(0)
    response = client.post(url, {"file": good})
    assert "成功导入1行" in response.content.decode() and Resident.objects.count() == 1


def test_web_import_refuses_a_corrupt_or_oversized_file(world, client_for, monkeypatch):
    client = client_for(world.worker_a)
    url = reverse("org_io:import", args=["residents"])
    corrupt = io.BytesIO(b"this is not a spreadsheet")
    corrupt.name = "居民.xlsx"
    response = client.post(url, {"file": corrupt})
    assert response.status_code == 400 and "不是 xlsx 格式" in response.content.decode()

    monkeypatch.setattr("minsheng.core.spreadsheet.MAX_FILE_BYTES", 1024)
    response = client.post(url, {"file": xlsx(RESIDENT_HEADERS, [["甲", "", "", "", "", UNIT_A]])})
    assert response.status_code == 400 and "文件过大" in response.content.decode()

    response = client.post(url, {})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()


def test_grid_b_cannot_import(world, client_for):
    client = client_for(world.grid_b)
    url = reverse("org_io:import", args=["residents"])
    assert client.get(url).status_code == 403
    response = client.post(url, {"file": xlsx(RESIDENT_HEADERS, [["甲", "", "", "", "", UNIT_A]])})
    assert response.status_code == 403 and not Resident.objects.exists()
    assert client.get(reverse("org_io:template", args=["residents"])).status_code == 403


# -- commands --------------------------------------------------------------------------------------


def test_commands_import_and_export(world, tmp_path, capsys):
    source = tmp_path / "居民.xlsx"
    source.write_bytes(
        xlsx(RESIDENT_HEADERS, [["甲", "", "", "13812345678", "", UNIT_A, "", "", ""]]).getvalue()
    )
    call_command("import_registry", "residents", str(source), "--user", "worker_a", "--dry-run")
    assert not Resident.objects.exists()
    call_command("import_registry", "residents", str(source), "--user", "worker_a")
    assert Resident.objects.get().name == "甲"
    assert AuditLog.objects.get(action=AuditLog.Action.IMPORT).user == world.worker_a

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(RESIDENT_HEADERS, [["乙", "", "", "", "", "火星", "", "", ""]]).getvalue())
    with pytest.raises(CommandError, match="1 行有错误"):
        call_command("import_registry", "residents", str(bad), "--user", "worker_a")
    assert "第2行 [地址] 找不到节点“火星”" in capsys.readouterr().err
    with pytest.raises(CommandError, match="没有导入台账的权限"):
        call_command("import_registry", "residents", str(source), "--user", "grid_b")

    out = tmp_path / "out.xlsx"
    call_command("export_registry", "residents", str(out), "--user", "worker_a")
    assert sheet_rows(out.read_bytes())[1][3] == "138****5678"
    with pytest.raises(CommandError, match="没有导出台账的权限"):
        call_command("export_registry", "residents", str(out), "--user", "grid_b")


def test_an_estate_row_updates_only_the_columns_the_file_has(world):
    company = actions.create_property_company(name="城关物业", is_street_led=True)
    actions.set_estate_property(
        world.estate_a,
        status="street_fallback",
        company=company,
        committee_chair="刘主任",
        committee_phone="13500000000",
    )
    file = xlsx(
        ["小区", "物业状态", "物业企业", "红色物业", "业委会电话"],
        [["颐和家园", "街道兜底", "城关物业", "是", ""]],
    )
    report = run_import("estates", world.worker_a, file)
    assert report.ok, report.errors
    estate = world.estate_a.property_profile
    estate.refresh_from_db()
    assert estate.is_red_property and estate.committee_chair == "刘主任"  # no 业委会主任 column: kept
    assert estate.committee_phone == ""  # the column is there and blank: cleared
