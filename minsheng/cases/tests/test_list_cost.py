"""What keeps the list page and the case page cheap (decision 0075) shows the same as before and stays current.

- QuickSelect writes exactly the markup of Django's own select templates;
- the filter bar's choices come from cached tables, and a new or renamed category, unit, case kind or grid is
  offered on the very next page, as is a grid dropped from a user's scope.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.cache import cache
from django.db.models import Model

from minsheng.cases import actions
from minsheng.cases.choices import Channel, RequestKind, UnitKind, Urgency
from minsheng.cases.forms.selects import OneOfMany, QuickSelect
from minsheng.cases.models import CaseKind, Category, Unit
from minsheng.org import actions as org_actions
from minsheng.org.models import Grid

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")

CHOICES = [
    ("", "全部"),
    ("a", "甲 & <乙>"),
    ("大类", [("01", "全部环境"), ("0101", "\u3000环境 › 垃圾")]),
    ("", [("x", "no group name")]),
    (3, "three"),
    (None, "none"),
    ("q\"'", "quote \"and\" 'apostrophe'"),
]


@pytest.mark.parametrize("value", [None, "", "a", "0101", 3, "3", ["a", "01"], "nope", "q\"'"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x"}, {"id": "id_x", "required": True, "disabled": False}])
def test_quick_select_writes_djangos_markup(value, attrs):
    for quick, django in ((QuickSelect, forms.Select), (OneOfMany, forms.SelectMultiple)):
        expected = django(choices=CHOICES).render("f<x>", value, attrs=attrs)
        if django is forms.SelectMultiple:  # OneOfMany is a SelectMultiple that selects one value, unmarked
            django_one = type("One", (forms.SelectMultiple,), {"allow_multiple_selected": False})
            expected = django_one(choices=CHOICES).render("f<x>", value, attrs=attrs)
        assert quick(choices=CHOICES).render("f<x>", value, attrs=attrs) == expected


def test_quick_select_marks_the_first_match_only_and_escapes():
    html = QuickSelect(choices=[("1", "a"), ("1", "b<")]).render("n", "1")
    assert html == (
        '<select name="n">\n  <option value="1" selected>a</option>\n\n  <option value="1">b&lt;</option>\n\n</select>'
    )


def selects(page: str) -> dict[str, list[str]]:
    """{select name: [option labels]} of the filter bar."""
    out = {}
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', page, re.S):
        out[name] = re.findall(r"<option[^>]*>([^<]*)</option>", body)
    return out


def test_filter_choices_follow_their_tables_at_once(cw, client_for):
    w = cw.w
    client = client_for(w.worker_a)  # a community worker of community A

    def bar():
        return selects(client.get("/cases/all/").content.decode())

    cache.clear()
    before = bar()
    assert before["grid"] == ["全部网格", "颐和一网格"]  # community B's grids are not hers
    # by kind (community before street_office), then name
    assert before["unit"] == ["全部主办单位", "颐和社区居委会", "龙泉社区居委会", "城管科"]
    assert "诉求" in before["kind"]
    assert bar() == before  # the second page reads the cache

    # a new 中类 under 市政设施 (05) and a 小类 under it appear in the next page's category select
    parent = Category.objects.get(code="05")
    mid = Category.objects.add_child(parent, {"code": "0599", "name": "测试新中类"})
    Category.objects.add_child(mid, {"code": "059901", "name": "测试新小类"})
    after = bar()["category"]
    assert "测试新中类" in after and "\u3000测试新中类 › 测试新小类" in after
    # retired: gone again
    leaf = Category.objects.get(code="059901")
    leaf.is_active = False
    leaf.save()
    assert "\u3000测试新中类 › 测试新小类" not in bar()["category"]

    office = Unit.objects.get(name="城管科")
    office.name = "城市管理科"
    office.save()
    Unit.objects.create(name="阿里物业", kind=UnitKind.PROPERTY, node=w.street)
    units = bar()["unit"]
    assert "城市管理科" in units and "城管科" not in units and "阿里物业" in units

    CaseKind.objects.create(code="testkind", name="测试类型")
    assert "测试类型" in bar()["kind"]

    org_actions.create_grid(community=w.community_a, name="颐和二网格")
    org_actions.create_grid(community=w.community_b, name="龙泉二网格")
    assert bar()["grid"] == ["全部网格", "颐和一网格", "颐和二网格"]
    Grid.objects.filter(name="颐和二网格").delete()
    assert bar()["grid"] == ["全部网格", "颐和一网格"]


def test_grid_choices_are_each_users_own(cw, client_for):
    w = cw.w
    org_actions.create_grid(community=w.community_b, name="龙泉一网格")
    cache.clear()
    mine = selects(client_for(w.worker_a).get("/cases/all/").content.decode())["grid"]
    theirs = selects(client_for(w.grid_b).get("/cases/all/").content.decode())["grid"]
    street = selects(client_for(cw.leader).get("/cases/all/").content.decode())["grid"]
    assert mine == ["全部网格", "颐和一网格"]
    assert theirs == ["全部网格", "龙泉一网格"]
    assert street == ["全部网格", "颐和一网格", "龙泉一网格"]  # by code: community A's grid was made first


def test_list_rows_read_no_column_one_row_at_a_time(cw, client_for, monkeypatch):
    """The list reads only the columns a row shows (workbench.ROW_FIELDS): with cases in every state, on every
    list and for every role, no row goes back to the database for a column left out."""
    w = cw.w

    def register(**kw):
        values = {
            "actor": w.grid_a,
            "kind": "appeal",
            "channel": Channel.GRID_PATROL,
            "category": cw.cat_sewer,
            "description": "颐和家园3号楼下水道堵塞，污水外溢",
            "node": w.unit_a,
            "reporter_name": "高阿姨",
            "reporter_phone": "13912345678",
        }
        return actions.do_register(**{**values, **kw})

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        register(urgency=Urgency.URGENT)  # 登记, on its 受理 clock
        accepted = actions.do_accept(register(), actor=w.worker_a)
        dispatched = actions.do_dispatch(actions.do_accept(register(), actor=w.worker_a), actor=w.worker_a)
        handling = actions.do_sign(
            actions.do_dispatch(actions.do_accept(register(), actor=w.worker_a), actor=w.worker_a),
            actor=w.worker_a,
        )
        actions.do_request(handling, actor=w.worker_a, kind=RequestKind.EXTENSION, reason="等配件", days=3)
        replied = actions.do_sign(
            actions.do_dispatch(actions.do_accept(register(), actor=w.worker_a), actor=w.worker_a),
            actor=w.worker_a,
        )
        actions.do_reply(replied, actor=w.worker_a, note="已疏通")
        actions.do_supervise(dispatched, actor=cw.leader, comment="尽快")
        actions.do_set_key(accepted, actor=cw.leader, leader=cw.leader, plan="包案")

    def no_lazy_load(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__}.{kwargs.get('fields')} read one row at a time")

    with time_machine.travel(dt.datetime(2026, 3, 4, 15, 0, tzinfo=TZ), tick=False):  # some clocks past
        for user in (w.worker_a, w.grid_a, w.admin, cw.leader, cw.cadre):
            client = client_for(user)
            for name in ("todo", "done", "supervised", "overdue", "all"):
                path = "/cases/" if name == "todo" else f"/cases/{name}/"
                client.get(path)  # the filter bar's tables into the cache
                with monkeypatch.context() as m:
                    m.setattr(Model, "refresh_from_db", no_lazy_load)
                    response = client.get(path + "?per_page=100")
                assert response.status_code == 200
        shown = client_for(w.admin).get("/cases/all/").content.decode()
        for word in ("待受理", "待签收", "待审批", "督办", "包案", "紧急", "颐和社区居委会", "社区A网格员"):
            assert word in shown, word
