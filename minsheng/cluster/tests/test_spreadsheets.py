import io

import pytest
from openpyxl import Workbook, load_workbook

from minsheng.cluster.models import Grower, Harvest, Orchard, Sale
from minsheng.cluster.spreadsheets import HarvestResource, OrchardResource
from minsheng.core.spreadsheet import export_workbook, import_workbook, template_workbook

pytestmark = pytest.mark.django_db


def _file(headers, *rows):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


ORCHARD_HEADERS = ["户主", "手机号", "所在村", "果园名称", "面积（亩）", "主栽品种", "栽植年份", "类型"]
HARVEST_HEADERS = [
    "所在村",
    "户主",
    "果园名称",
    "采收日期",
    "等级",
    "产量（千克）",
    "销售渠道",
    "平台",
    "销量（千克）",
    "单价（元/千克）",
    "销售日期",
]


def test_orchards_import_all_or_nothing(cw):
    ok = ["李红", "13900000001", "月庄村", "李家南园", 8.5, "红灯", 2014, "露地"]
    bad_village = ["赵强", "", "颐和社区", "x", 3, "美早", 2016, ""]
    report = import_workbook(OrchardResource(cw.supervisor), _file(ORCHARD_HEADERS, ok, bad_village))
    assert not report.ok and report.imported == 0 and Orchard.objects.count() == 1
    report = import_workbook(
        OrchardResource(cw.supervisor), _file(ORCHARD_HEADERS, ok, ok[:3] + ["李家北园", 2, "美早", 2018, ""])
    )
    assert report.ok, [str(e) for e in report.errors]
    grower = Grower.objects.get(name="李红")
    assert grower.orchards.count() == 2 and grower.village == cw.yuezhuang


def test_harvest_import_refuses_oversale(cw):
    row = [
        "月庄村",
        "王建国",
        "王家东园",
        "2026-06-01",
        "一级",
        1000,
        "电商平台",
        "京东",
        900,
        40,
        "2026-06-02",
    ]
    over = ["月庄村", "王建国", "王家东园", "2026-06-01", "二级", 100, "收购商", "", 200, 20, "2026-06-02"]
    report = import_workbook(HarvestResource(cw.supervisor), _file(HARVEST_HEADERS, row, over))
    assert not report.ok and any("销量超过" in str(e) for e in report.errors)
    assert Harvest.objects.count() == 0
    report = import_workbook(HarvestResource(cw.supervisor), _file(HARVEST_HEADERS, row))
    assert report.ok and Sale.objects.get().amount == 36000
    # another village's supervisor cannot reach this orchard
    report = import_workbook(HarvestResource(cw.supervisor_b), _file(HARVEST_HEADERS, row))
    assert not report.ok


def test_exports_and_templates_mask_phones(cw):
    for resource in (OrchardResource(cw.leader), HarvestResource(cw.leader)):
        out = io.BytesIO()
        export_workbook(resource, out)
        out.seek(0)
        load_workbook(out)
        template_workbook(resource, io.BytesIO())
    out = io.BytesIO()
    export_workbook(OrchardResource(cw.cadre), out)
    out.seek(0)
    cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert "138****0011" in cells and "13800000011" not in cells


def test_io_pages(cw, client_for):
    sup = client_for(cw.supervisor)
    assert sup.get("/cluster/io/").status_code == 200
    assert sup.get("/cluster/io/cluster-orchards/template/").status_code == 200
    assert sup.get("/cluster/io/cluster-harvests/import/").status_code == 200
    assert sup.get("/cluster/io/nope/export/").status_code == 404
    assert client_for(cw.leader).get("/cluster/io/cluster-harvests/import/").status_code == 403


def test_orchard_import_checks_locations_against_the_village_boundary(cw):
    from minsheng.org.models import Node

    ring = [[118.50, 36.50], [118.52, 36.50], [118.52, 36.52], [118.50, 36.52], [118.50, 36.50]]
    Node.objects.filter(pk=cw.yuezhuang.pk).update(geometry={"type": "Polygon", "coordinates": [ring]})
    headers = [*ORCHARD_HEADERS, "纬度", "经度"]
    inside = ["李红", "13900000001", "月庄村", "李家南园", 8.5, "红灯", 2014, "露地", 36.51, 118.51]
    outside = ["李红", "13900000001", "月庄村", "李家北园", 2, "美早", 2018, "", 36.9, 118.9]
    report = import_workbook(OrchardResource(cw.supervisor), _file(headers, inside, outside))
    assert not report.ok and report.imported == 0
    assert any("不在任何村" in str(e) for e in report.errors), [str(e) for e in report.errors]
    report = import_workbook(
        OrchardResource(cw.supervisor), _file(headers, inside, [*outside[:8], "北纬", ""])
    )
    assert not report.ok
    report = import_workbook(OrchardResource(cw.supervisor), _file(headers, inside))
    assert report.ok, [str(e) for e in report.errors]
    orchard = Orchard.objects.get(name="李家南园")
    assert (orchard.lat, orchard.lng) == (36.51, 118.51)
    out = io.BytesIO()
    export_workbook(OrchardResource(cw.supervisor), out)
    out.seek(0)
    exported = load_workbook(out).active
    header = [c.value for c in exported[1]]
    assert "纬度" in header and 36.51 in [c.value for row in exported.iter_rows(min_row=2) for c in row]
