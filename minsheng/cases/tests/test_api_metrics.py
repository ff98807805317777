"""The metrics and efficiency endpoints: the figures of the workbench pages, scoped, with 400s for bad input."""

import pytest

from minsheng.cases import actions
from minsheng.cases.choices import Channel, Satisfaction

pytestmark = pytest.mark.django_db


def closed_case(cw):
    w = cw.w
    case = actions.do_register(
        actor=w.grid_a, kind="appeal", channel=Channel.GRID_PATROL, category=cw.cat_sewer,
        description="下水道堵塞", node=w.unit_a,
    )  # fmt: skip
    case = actions.do_accept(case, actor=w.worker_a)
    case = actions.do_dispatch(case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    case = actions.do_sign(case, actor=w.grid_a)
    case = actions.do_reply(case, actor=w.grid_a, note="已疏通")
    case = actions.do_verify(case, actor=w.worker_a, passed=True)
    return actions.do_follow_up(case, actor=w.worker_a, resolved=True, satisfaction=Satisfaction.SATISFIED)


def test_summary_and_breakdown_are_scoped(cw, api_for):
    closed_case(cw)
    data = api_for(cw.w.admin).get("/api/v1/cases/metrics/?by=lead_unit").json()
    assert data["summary"]["accepted"] == 1 and data["summary"]["satisfaction_rate"] == 1
    assert [row["label"] for row in data["breakdown"]] == ["颐和社区居委会"]
    assert {d["key"] for d in data["definitions"]} >= {"on_time_rate", "satisfaction_rate"}
    other = api_for(cw.w.grid_b).get("/api/v1/cases/metrics/").json()
    assert other["summary"]["accepted"] == 0


def test_bad_parameters_are_400(cw, api_for):
    api = api_for(cw.w.admin)
    assert api.get("/api/v1/cases/metrics/?by=weather").status_code == 400
    r = api.get("/api/v1/cases/metrics/?start=2026-02-01&end=2026-01-01")
    assert r.status_code == 400 and "end" in r.json()


def test_efficiency_board(cw, api_for):
    closed_case(cw)
    data = api_for(cw.w.admin).get("/api/v1/cases/efficiency/?by=handler").json()
    assert data["by"] == "handler" and data["rows"]
