"""The staff workbench: lists per persona, the case page and its forms, bulk dispatch, intake, export, reports."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from minsheng.cases import actions
from minsheng.cases.choices import Channel, RequestKind, Status
from minsheng.cases.models import Case, CaseAttachment, Category
from minsheng.core.models import AuditLog

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _monday():
    """A working Monday morning, so deadlines fall where a reader expects them."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def register(cw, **kw):
    values = {
        "actor": cw.w.grid_a,
        "kind": "appeal",
        "channel": Channel.GRID_PATROL,
        "category": cw.cat_sewer,
        "description": "颐和家园3号楼下水道堵塞，污水外溢",
        "node": cw.w.unit_a,
        "reporter_name": "高阿姨",
        "reporter_phone": "13912345678",
    }
    values.update(kw)
    return actions.do_register(**values)


def in_community_b(cw, **kw):
    return register(cw, actor=cw.w.grid_b, node=cw.w.unit_b, description="龙泉小区路灯不亮", **kw)


def numbers(response) -> set[str]:
    return {row["case"].number for row in response.context["rows"]}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def act(client, case, verb, data=None, *, expected=None, follow=True):
    body = {f"{verb}-{k}": v for k, v in (data or {}).items()}
    body["expected_status"] = expected if expected is not None else Case.objects.get(pk=case.pk).status
    return client.post(f"/cases/{case.pk}/act/{verb}/", body, follow=follow)


# -- lists ------------------------------------------------------------------------------------------------------


def test_todo_follows_the_case_round_the_loop(cw, client_for):
    w = cw.w
    worker, grid, grid_b = client_for(w.worker_a), client_for(w.grid_a), client_for(w.grid_b)
    case = register(cw)
    assert numbers(worker.get("/cases/")) == {case.number}  # 待受理
    assert numbers(grid.get("/cases/")) == set()  # a grid worker does not accept
    case = actions.do_accept(case, actor=w.worker_a)
    assert numbers(worker.get("/cases/")) == {case.number}  # 待派遣
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    assert numbers(grid.get("/cases/")) == {case.number}  # 待签收, by the person named
    assert numbers(worker.get("/cases/")) == set()  # not by every member of the unit
    case = actions.do_sign(case, actor=w.grid_a)
    assert numbers(grid.get("/cases/")) == {case.number}  # 办理中, as handler
    assert numbers(worker.get("/cases/")) == set()  # someone else's handling
    actions.do_request(case, actor=w.grid_a, kind=RequestKind.EXTENSION, reason="需采购配件", days=3)
    todo = worker.get("/cases/")  # the unit's leader decides
    assert numbers(todo) == {case.number} and "待审批" in todo.content.decode()
    assert numbers(client_for(cw.leader).get("/cases/")) == {case.number}  # so does the street leader
    case = actions.do_reply(case, actor=w.grid_a, note="已疏通")
    assert numbers(worker.get("/cases/")) == {case.number}  # 待核查
    assert numbers(grid.get("/cases/")) == set()
    case = actions.do_verify(case, actor=w.worker_a, passed=True)
    assert numbers(worker.get("/cases/")) == {case.number}  # 待回访
    assert numbers(grid.get("/cases/done/")) == {case.number}  # 已办: he registered, signed and replied
    for url in ("/cases/", "/cases/done/", "/cases/supervised/", "/cases/overdue/", "/cases/all/"):
        assert numbers(grid_b.get(url)) == set(), url
    assert grid_b.get(f"/cases/{case.pk}/").status_code == 404


def test_supervised_and_overdue_lists(cw, client_for, _monday):
    w = cw.w
    watched = actions.do_accept(register(cw), actor=w.worker_a)
    keyed = actions.do_accept(register(cw, description="电梯困人"), actor=w.worker_a)
    quiet = register(cw, description="咨询养老补贴", category=cw.cat_consult)
    actions.do_supervise(watched, actor=cw.leader, comment="请本周内解决")
    actions.do_set_key(keyed, actor=w.admin, leader=cw.leader, plan="协调物业与供水公司")
    leader = client_for(cw.leader)
    assert numbers(leader.get("/cases/supervised/")) == {watched.number, keyed.number}
    _monday.move_to(MONDAY + dt.timedelta(days=14))
    response = client_for(w.worker_a).get("/cases/overdue/")
    # the registered one is overdue too: its 受理时限 (a few working hours) passed long ago
    assert numbers(response) == {watched.number, keyed.number, quiet.number}
    assert {r["deadline"] for r in response.context["rows"]} == {"red"}
    assert quiet.number in numbers(client_for(w.worker_a).get("/cases/all/"))


def test_filters_status_category_search_and_deadline(cw, client_for, _monday):
    w = cw.w
    sewer = actions.do_accept(register(cw), actor=w.worker_a)
    building = register(cw, description="楼顶私搭乱建彩钢房", category=cw.cat_building)
    client = client_for(w.worker_a)
    assert numbers(client.get("/cases/all/?status=registered")) == {building.number}
    assert numbers(client.get("/cases/all/?category=05")) == {sewer.number}  # 下水道 and its subtree
    assert numbers(client.get("/cases/all/?q=xsd")) == {sewer.number}  # pinyin initials of the title
    assert numbers(client.get(f"/cases/all/?q={sewer.number[-6:]}")) == {sewer.number}
    assert numbers(client.get(f"/cases/all/?grid={cw.grid.pk}&status=")) == {sewer.number, building.number}
    # the registered one runs on its 受理时限, the accepted one on its 办结时限: both green now
    assert numbers(client.get("/cases/all/?deadline=green")) == {sewer.number, building.number}
    assert numbers(client.get("/cases/all/?deadline=red")) == set()
    _monday.move_to(MONDAY + dt.timedelta(days=6, hours=6))  # past 80 % of five working days
    assert numbers(client.get("/cases/all/?deadline=yellow")) == {sewer.number}
    assert numbers(client.get("/cases/all/?deadline=red")) == {building.number}  # never accepted
    response = client.get("/cases/all/?status=bogus&category=nope&page=999")
    assert response.status_code == 200 and numbers(response) == set()
    page = client.get("/cases/all/").content.decode()
    assert "全部渠道" in page and "---------" not in page


def test_list_query_count_does_not_grow_with_the_page(cw, client_for):
    w = cw.w
    client = client_for(w.worker_a)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        actions.do_accept(register(cw, description=f"第{i}处下水道堵塞"), actor=w.worker_a)
    queries("/cases/all/?per_page=20")  # the first page reads the filter bar's tables into the cache
    few = queries("/cases/all/?per_page=20")
    for i in range(30):
        actions.do_accept(register(cw, description=f"另一处井盖缺失{i}"), actor=w.worker_a)
    assert queries("/cases/all/?per_page=20") == few
    assert queries("/cases/all/?per_page=100") == few
    assert queries("/cases/?per_page=100") == queries("/cases/?per_page=20")


# -- the case page ----------------------------------------------------------------------------------------------


def verbs_on_page(response) -> list[str]:
    return [p["verb"] for p in response.context["panels"]]


def test_case_page_shows_only_the_steps_the_user_may_take(cw, client_for):
    w = cw.w
    case = register(cw)
    worker_page = client_for(w.worker_a).get(f"/cases/{case.pk}/")
    assert verbs_on_page(worker_page) == ["accept", "reject", "merge", "remind", "recategorize"]
    assert f"/cases/{case.pk}/act/accept/" in worker_page.content.decode()
    grid_page = client_for(w.grid_a).get(f"/cases/{case.pk}/")
    assert verbs_on_page(grid_page) == []
    assert "/act/" not in grid_page.content.decode()
    case = actions.do_dispatch(actions.do_accept(case, actor=w.worker_a), actor=w.worker_a)
    assert verbs_on_page(client_for(w.grid_a).get(f"/cases/{case.pk}/")) == ["sign", "return"]
    leader_page = client_for(cw.leader).get(f"/cases/{case.pk}/")
    assert verbs_on_page(leader_page) == ["supervise", "set_key"]
    page = worker_page.content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_the_loop_through_the_forms(cw, client_for):
    w = cw.w
    worker, grid = client_for(w.worker_a), client_for(w.grid_a)
    case = register(cw)
    response = act(worker, case, "accept", {"note": "属实"})
    assert "已受理" in messages_of(response)
    response = act(
        worker, case, "dispatch", {"unit": cw.unit_a.pk, "handler": w.grid_a.pk, "co_units": [cw.office.pk]}
    )
    assert "已派遣至颐和社区居委会" in messages_of(response)
    case.refresh_from_db()
    assert (case.status, case.handler, list(case.co_units.all())) == (
        Status.DISPATCHED,
        w.grid_a,
        [cw.office],
    )
    act(grid, case, "sign")
    photo = SimpleUploadedFile("after.png", PNG, content_type="image/png")
    response = act(grid, case, "reply", {"note": "已疏通管道", "photos": photo})
    assert "已提交办结反馈，等待核查" in messages_of(response)
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.event.verb == "reply"
    assert grid.get(f"/cases/attachments/{attachment.pk}/").status_code == 200
    assert client_for(w.grid_b).get(f"/cases/attachments/{attachment.pk}/").status_code == 404
    response = act(worker, case, "verify", {"passed": "1", "note": "现场已复核"})
    assert "核查通过，案件已办结" in messages_of(response)
    response = act(
        worker, case, "follow_up", {"reachable": "1", "resolved": "1", "satisfaction": "satisfied"}
    )
    assert "回访已记录，案件已归档" in messages_of(response)
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
    page = response.content.decode()
    for label in ("登记", "受理", "派遣", "签收", "办结反馈", "核查通过", "回访"):
        assert label in page


def test_requests_decisions_and_the_other_steps(cw, client_for):
    w = cw.w
    worker, grid, leader = client_for(w.worker_a), client_for(w.grid_a), client_for(cw.leader)
    case = actions.do_sign(
        actions.do_dispatch(actions.do_accept(register(cw), actor=w.worker_a), actor=w.worker_a),
        actor=w.grid_a,
    )
    due = case.finish_due
    assert messages_of(act(grid, case, "request_extension", {"days": 3, "reason": "等配件"})) == [
        "已提交延期申请，等待审批"
    ]
    request = case.requests.get()
    response = act(leader, case, "decide", {"request": request.pk, "approve": "1", "note": "同意"})
    assert "已批准延期申请" in messages_of(response)
    case.refresh_from_db()
    assert case.finish_due > due and case.extension_count == 1
    assert "已督办" in messages_of(act(leader, case, "supervise", {"comment": "请加快"}))[0]
    response = act(leader, case, "set_key", {"leader": cw.leader.pk, "plan": "每周现场调度"})
    assert "已设为包案" in messages_of(response)[0]
    assert "每周现场调度" in response.content.decode()
    assert messages_of(act(worker, case, "remind", {"note": "今天回复"})) == ["已催办"]
    response = act(worker, case, "recategorize", {"category": cw.cat_consult.pk})
    assert "已改分类" in messages_of(response)[0]
    case.refresh_from_db()
    assert case.category == cw.cat_consult and case.is_key and case.is_supervised


def test_return_merge_reject_and_reopen(cw, client_for):
    w = cw.w
    worker, grid = client_for(w.worker_a), client_for(w.grid_a)
    first = actions.do_dispatch(actions.do_accept(register(cw), actor=w.worker_a), actor=w.worker_a)
    assert "已退单" in messages_of(act(grid, first, "return", {"reason": "不属于本社区"}))[0]
    duplicate = register(cw, description="3号楼下水道又堵了")
    assert first.number in [m.case.number for m in worker.get(f"/cases/{duplicate.pk}/").context["similar"]]
    response = act(worker, duplicate, "merge", {"into": first.number.lower()})
    assert f"已并入 {first.number}" in messages_of(response)
    assert f"/cases/{first.pk}/" in response.content.decode()  # the merged case links to the main one
    assert f"/cases/{duplicate.pk}/" in worker.get(f"/cases/{first.pk}/").content.decode()  # and back
    rejected = register(cw, description="咨询广场舞场地")
    assert "已不予受理" in messages_of(act(worker, rejected, "reject", {"reason": "非本街道事项"}))[0]
    done = actions.do_verify(
        actions.do_reply(
            actions.do_sign(actions.do_dispatch(first, actor=w.worker_a), actor=w.grid_a),
            actor=w.grid_a,
            note="好了",
        ),
        actor=w.worker_a,
        passed=True,
    )
    assert "已重新打开" in messages_of(act(worker, done, "reopen", {"reason": "反映人称又堵了"}))[0]
    assert Case.objects.get(pk=done.pk).status == Status.ACCEPTED


def test_second_tab_gets_a_message_not_a_second_action(cw, client_for):
    w = cw.w
    tab_1, tab_2 = client_for(w.worker_a), client_for(w.worker_a)
    case = register(cw)
    act(tab_1, case, "accept", expected=Status.REGISTERED)
    response = act(tab_2, case, "accept", expected=Status.REGISTERED)
    assert response.status_code == 200
    assert messages_of(response) == ["未能受理：案件状态已变为“已受理”，可能已有他人处理，请查看最新情况。"]
    act(tab_1, case, "dispatch", {"unit": cw.unit_a.pk}, expected=Status.ACCEPTED)
    response = act(tab_2, case, "dispatch", {"unit": cw.office.pk}, expected=Status.ACCEPTED)
    assert "已派遣" in messages_of(response)[0]
    case.refresh_from_db()
    assert case.lead_unit == cw.unit_a  # not silently re-dispatched by the stale tab
    assert case.events.filter(verb__in=["dispatch", "redispatch"]).count() == 1
    # Without the page's state (an old form), the engine's own check still answers in Chinese.
    response = tab_2.post(f"/cases/{case.pk}/act/accept/", {}, follow=True)
    assert messages_of(response) == ["未能受理：案件当前状态为“已派遣”，不能执行“受理”"]


def test_bad_input_and_missing_rights_never_500(cw, client_for):
    w = cw.w
    worker, grid = client_for(w.worker_a), client_for(w.grid_a)
    case = register(cw)
    response = act(worker, case, "reject", {"reason": "  "}, follow=False)
    assert response.status_code == 400 and "请填写不予受理的理由" in response.content.decode()
    assert response.context["panels"][1]["open"]  # the failed step stays open with its error
    response = act(worker, case, "merge", {"into": "CG-1999-000001"}, follow=False)
    assert response.status_code == 400 and "找不到编号为" in response.content.decode()
    response = act(grid, case, "accept")
    assert messages_of(response) == ["您没有权限对该案件执行“受理”"]
    assert worker.post(f"/cases/{case.pk}/act/fly/", {}).status_code == 404
    assert client_for(w.grid_b).post(f"/cases/{case.pk}/act/accept/", {}).status_code == 404
    case = actions.do_dispatch(actions.do_accept(case, actor=w.worker_a), actor=w.worker_a)
    response = act(worker, case, "dispatch", {"unit": cw.office.pk, "handler": w.grid_a.pk}, follow=False)
    assert response.status_code == 400 and "承办人不属于主办单位" in response.content.decode()
    actions.do_sign(case, actor=w.grid_a)
    response = act(grid, case, "request_extension", {"days": 0, "reason": "x"}, follow=False)
    assert response.status_code == 400
    fake = SimpleUploadedFile("photo.jpg", b"MZ not a picture", content_type="image/jpeg")
    response = act(grid, case, "reply", {"note": "已处理", "photos": fake}, follow=False)
    assert response.status_code == 400 and "类型不支持" in response.content.decode()
    response = act(grid, case, "reply", {"note": ""}, follow=False)
    assert response.status_code == 400 and "请填写办理结果" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING


def test_reporter_phone_reveal_is_audited(cw, client_for):
    w = cw.w
    case = register(cw)
    response = client_for(w.worker_a).post(f"/cases/{case.pk}/reveal/")
    assert "13912345678" in response.content.decode()
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert (entry.user, entry.object_id) == (w.worker_a, str(case.pk))
    assert client_for(cw.cadre).post(f"/cases/{case.pk}/reveal/").status_code == 403
    assert "查看反映人电话" not in client_for(cw.cadre).get(f"/cases/{case.pk}/").content.decode()


# -- bulk dispatch ------------------------------------------------------------------------------------------


def test_bulk_dispatch_reports_each_failure_and_dispatches_the_rest(cw, client_for):
    w = cw.w
    ready = [actions.do_accept(register(cw, description=f"井盖缺失{i}"), actor=w.worker_a) for i in range(2)]
    not_accepted = register(cw, description="楼道灯不亮")
    elsewhere = actions.do_accept(in_community_b(cw), actor=w.admin)
    ids = [c.pk for c in [*ready, not_accepted, elsewhere]]
    response = client_for(w.worker_a).post(
        "/cases/bulk-dispatch/", {"cases": ids, "unit": "", "next": "/cases/?status=accepted"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/cases/?status=accepted"
    said = messages_of(response)
    assert said[0].startswith("已派遣 2 件")
    assert f"{not_accepted.number}：案件状态已变为“登记”" in said[1]
    assert said[2] == "1 件案件不存在或无权查看"
    for case in ready:
        case.refresh_from_db()
        assert (case.status, case.lead_unit) == (Status.DISPATCHED, cw.unit_a)
    assert Case.objects.get(pk=elsewhere.pk).status == Status.ACCEPTED
    response = client_for(w.worker_a).post(
        "/cases/bulk-dispatch/",
        {"cases": [ready[0].pk], "unit": cw.office.pk, "next": "https://evil.example/"},
    )
    assert response.url == "/cases/"  # not an open redirect
    assert "已被" not in response.url


# -- intake -------------------------------------------------------------------------------------------------


def intake_form(cw, **kw):
    data = {
        "kind": "appeal",
        "channel": Channel.MAZHA_MEETING,
        "category": cw.cat_sewer.pk,
        "urgency": "normal",
        "description": "马扎议事会上居民反映3号楼下水道反味",
        "node": cw.w.unit_a.pk,
        "reporter_name": "李大爷",
        "reporter_phone": "13700001111",
    }
    data.update(kw)
    return data


def test_intake_registers_with_photos_and_goes_to_the_case(cw, client_for):
    client = client_for(cw.w.grid_a)
    photo = SimpleUploadedFile("scene.png", PNG, content_type="image/png")
    response = client.post("/cases/new/", intake_form(cw, photos=[photo]))
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/"
    assert (case.channel, case.grid, case.first_receiver) == (Channel.MAZHA_MEETING, cw.grid, cw.w.grid_a)
    assert case.attachments.get().event.verb == "register"
    assert client.get(response.url).status_code == 200


def test_intake_bad_input_shows_chinese_errors(cw, client_for):
    client = client_for(cw.w.grid_a)
    response = client.post("/cases/new/", intake_form(cw, description="", node="", channel="pigeon"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "pigeon" in page or "选择一个有效的选项" in page
    response = client.post("/cases/new/", intake_form(cw, description="", node=""))
    page = response.content.decode()
    assert response.status_code == 400 and "请填写诉求内容" in page and "请选择发生地点" in page
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post("/cases/new/", intake_form(cw, photos=[bad]))
    assert response.status_code == 400 and "类型不支持" in response.content.decode()
    response = client.post("/cases/new/", intake_form(cw, node=cw.w.unit_b.pk))  # out of scope
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert client_for(cw.w.resident).get("/cases/new/").status_code == 403


def test_similar_cases_while_typing_and_merge_on_intake(cw, client_for):
    earlier = register(cw)
    in_community_b(cw)
    worker = client_for(cw.w.worker_a)
    response = worker.get(
        "/cases/new/similar/", {"description": "3号楼下水道堵了，污水外溢", "node": cw.w.unit_a.pk}
    )
    assert [m.case for m in response.context["matches"]] == [earlier]
    assert "登记并并入此案" in response.content.decode()
    grid_b = client_for(cw.w.grid_b)
    response = grid_b.get("/cases/new/similar/", {"description": "3号楼下水道堵了", "node": cw.w.unit_a.pk})
    assert response.context["matches"] == []  # a place out of scope finds nothing
    response = worker.post("/cases/new/", intake_form(cw, merge_into=earlier.pk), follow=True)
    new = Case.objects.exclude(pk=earlier.pk).get(node=cw.w.unit_a)
    assert (new.status, new.merged_into) == (Status.MERGED, earlier)
    assert f"已并入 {earlier.number} 一并办理" in messages_of(response)


# -- export ---------------------------------------------------------------------------------------------------


def sheet_rows(response):
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_export_is_masked_unless_asked_and_allowed_and_always_audited(cw, client_for):
    w = cw.w
    case = actions.do_accept(register(cw), actor=w.worker_a)
    in_community_b(cw)
    worker = client_for(w.worker_a)
    rows = sheet_rows(worker.get("/cases/export/?list=all"))
    header, values = rows[0], rows[1:]
    assert header[:3] == ["编号", "标题", "类型"] and "联系电话" in header
    assert [r[0] for r in values] == [case.number]  # scoped: community B's case is not there
    phone = header.index("联系电话")
    assert values[0][phone] == "139****5678" and values[0][header.index("反映人")] == "高**"
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.changes == {"registry": "cases", "rows": 1, "unmasked_rows": 0}
    rows = sheet_rows(worker.post("/cases/export/?list=all&status=accepted", {"unmasked": "1"}))
    assert rows[1][phone] == "13912345678"
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("pk").changes["unmasked_rows"] == 1
    assert (
        client_for(cw.cadre).post("/cases/export/", {"unmasked": "1"}).status_code == 403
    )  # no org.view_pii
    assert client_for(w.grid_a).get("/cases/export/").status_code == 403  # no org.export
    assert len(sheet_rows(worker.get("/cases/export/?list=all&status=registered"))) == 1  # header only


def test_export_query_count_does_not_grow_with_rows(cw, client_for):
    worker = client_for(cw.w.worker_a)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            b"".join(worker.get("/cases/export/?list=all").streaming_content)
        return len(ctx.captured_queries)

    register(cw)
    queries()  # the first export reads the filter bar's tables into the cache
    few = queries()
    for i in range(10):
        actions.do_dispatch(
            actions.do_accept(register(cw, description=f"路灯不亮{i}"), actor=cw.w.worker_a),
            actor=cw.w.worker_a,
        )
    assert queries() == few


# -- map and reports ------------------------------------------------------------------------------------------


def test_map_data_is_scoped_filtered_and_coloured(cw, client_for):
    w = cw.w
    located = actions.do_accept(register(cw, node=None, lat=36.505, lng=118.505), actor=w.worker_a)
    unplaced = register(cw, description="没有坐标的诉求")  # filed at a building: drawn at its grid's centre
    data = client_for(w.worker_a).get("/cases/map/data/").json()
    features = {f["properties"]["number"]: f for f in data["features"]}
    assert set(features) == {located.number, unplaced.number}
    assert features[located.number]["properties"]["state"] == "green"
    assert features[located.number]["geometry"]["coordinates"] == [118.505, 36.505]
    assert features[located.number]["properties"]["placed_by"] == "point"
    grid = cw.grid
    centre = [(grid.min_lng + grid.max_lng) / 2, (grid.min_lat + grid.max_lat) / 2]
    assert features[unplaced.number]["geometry"]["coordinates"] == pytest.approx(centre)
    assert features[unplaced.number]["properties"]["placed_by"] == "grid"
    # a building with a centre of its own is drawn there
    w.unit_a.lat, w.unit_a.lng = 36.5031, 118.5042
    w.unit_a.save(update_fields=["lat", "lng"])
    data = client_for(w.worker_a).get("/cases/map/data/").json()
    mapped = {f["properties"]["number"]: f for f in data["features"]}
    assert mapped[unplaced.number]["geometry"]["coordinates"] == [118.5042, 36.5031]
    registered_only = client_for(w.worker_a).get("/cases/map/data/?status=registered").json()["features"]
    assert [f["properties"]["number"] for f in registered_only] == [unplaced.number]
    assert client_for(w.grid_b).get("/cases/map/data/").json()["features"] == []
    assert client_for(w.worker_a).get("/cases/map/?list=overdue").status_code == 200


def test_recurring_places(cw, client_for):
    for i in range(3):
        register(cw, description=f"下水道堵塞第{i}次")
    register(cw, description="电梯故障", category=Category.objects.get(code="060101"))
    response = client_for(cw.w.worker_a).get("/cases/recurring/?days=30&min_count=3")
    assert [(r["place"], r["category"], r["count"]) for r in response.context["grid_rows"]] == [
        ("颐和一网格", "下水道/排水", 3)
    ]
    assert [(r["place"], r["count"]) for r in response.context["estate_rows"]] == [("颐和家园", 3)]
    link = response.context["estate_rows"][0]["url"]
    assert len(numbers(client_for(cw.w.worker_a).get(link))) == 3
    assert client_for(cw.w.grid_b).get("/cases/recurring/").context["grid_rows"] == []
    assert client_for(cw.w.worker_a).get("/cases/recurring/?days=abc").status_code == 200


def test_efficiency_and_metrics_pages(cw, client_for, _monday):
    w = cw.w
    for i in range(2):
        case = actions.do_dispatch(
            actions.do_accept(register(cw, description=f"下水道堵塞{i}"), actor=w.worker_a), actor=w.worker_a
        )
        actions.do_sign(case, actor=w.grid_a)
    _monday.move_to(MONDAY + dt.timedelta(days=20))
    admin = client_for(w.admin)
    response = admin.get("/cases/efficiency/")
    units = response.context["units"]
    assert [(u["label"], u["overdue"], u["card"]) for u in units] == [("颐和社区居委会", 2, "yellow")]
    assert response.context["tally"] == {"red": 0, "yellow": 2}  # the unit and its handler
    response = admin.get("/cases/metrics/?by=lead_unit")
    headline = {h["label"]: h["value"] for h in response.context["headline"]}
    assert headline["受理量"] == "2" and headline["超期未办结"] == "2"
    assert response.context["rows"][0]["label"] == "颐和社区居委会"
    for by in ("category", "channel", "grid", "org", "month", "handler", "kind", "nonsense"):
        assert admin.get(f"/cases/metrics/?by={by}").status_code == 200
    response = admin.get(f"/cases/metrics/?start=2026-03-20&end=2026-03-01&node={w.community_b.pk}")
    assert response.status_code == 200 and response.context["form"].errors
    grid_b = client_for(w.grid_b).get("/cases/metrics/")
    assert {h["label"]: h["value"] for h in grid_b.context["headline"]}["受理量"] == "0"


@pytest.mark.parametrize("persona", ["admin", "worker_a", "grid_a", "grid_b"])
def test_every_page_renders_for_every_persona(cw, client_for, persona):
    case = actions.do_accept(register(cw, lat=36.505, lng=118.505), actor=cw.w.worker_a)
    client = client_for(getattr(cw.w, persona))
    pages = ["/cases/", "/cases/done/", "/cases/supervised/", "/cases/overdue/", "/cases/all/", "/cases/new/"]
    pages += ["/cases/map/", "/cases/recurring/", "/cases/efficiency/", "/cases/metrics/"]
    if persona != "grid_b":
        pages.append(f"/cases/{case.pk}/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "{#" not in page and "{%" not in page, url  # no template syntax leaking into the page
    if persona == "grid_b":
        assert client.get(f"/cases/{case.pk}/").status_code == 404


# -- the metrics API (minsheng/cases/api/metrics.py) --------------------------------------------------------


def api_get(view, user, **params):
    from rest_framework.test import APIRequestFactory, force_authenticate

    request = APIRequestFactory().get("/api/v1/cases/metrics/", params)
    force_authenticate(request, user)
    response = view.as_view()(request)
    response.render()
    return response


def test_metrics_and_efficiency_api(cw):
    from minsheng.cases.api.metrics import EfficiencyView, MetricsView

    w = cw.w
    actions.do_dispatch(actions.do_accept(register(cw), actor=w.worker_a), actor=w.worker_a)
    actions.do_accept(in_community_b(cw), actor=w.admin)
    data = api_get(MetricsView, w.admin, by="org").data
    assert data["summary"]["accepted"] == 2
    assert [(r["label"], r["accepted"]) for r in data["breakdown"]] == [("颐和社区", 1), ("龙泉社区", 1)]
    assert {"key": "on_time_rate", "label": "按期办结率"}.items() <= data["definitions"][7].items()
    assert api_get(MetricsView, w.worker_a).data["summary"]["accepted"] == 1  # scoped
    assert api_get(MetricsView, w.admin, node=w.community_b.pk).data["summary"]["accepted"] == 1
    response = api_get(
        MetricsView, w.worker_a, node=w.community_b.pk, start="2026-03-05", end="2026-03-01", by="x"
    )
    assert response.status_code == 400 and {"node", "by"} <= set(response.data)
    assert "end" in api_get(MetricsView, w.admin, start="2026-03-05", end="2026-03-01").data
    board = api_get(EfficiencyView, w.admin, by="lead_unit").data
    assert board["by"] == "lead_unit" and [r["label"] for r in board["rows"]] == ["颐和社区居委会"]
    assert board["rules"]["red_overdue"] == 4
    assert api_get(EfficiencyView, w.resident).status_code == 403


def test_home_page_shows_what_waits(cw, client_for):
    case = register(cw)
    page = client_for(cw.w.worker_a).get("/").content.decode()
    assert "诉求待办" in page and "待办 1" in page and f"/cases/{case.pk}/" in page
    assert "待办 0" in client_for(cw.w.grid_b).get("/").content.decode()
