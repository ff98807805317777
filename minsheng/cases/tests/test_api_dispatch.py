"""派遣 over the API carries the state it was made from; a stale one is a 409, a 改派 says it is one."""

import pytest

from minsheng.cases import actions
from minsheng.cases.choices import Channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(cw):
    case = actions.do_register(
        actor=cw.w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description="楼道灯坏了",
        node=cw.w.unit_a,
    )
    return actions.do_accept(case, actor=cw.w.worker_a)


def test_a_repeated_dispatch_is_409_not_a_silent_redispatch(cw, accepted, api_for):
    api = api_for(cw.w.worker_a)
    url = f"/api/v1/cases/{accepted.pk}/dispatch/"
    assert api.post(url, {"unit": cw.unit_a.pk}, format="json").status_code == 200
    again = api.post(url, {"unit": cw.unit_a.pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    assert "已派遣" in again.json()["detail"]
    stale = api.post(url, {"unit": cw.office.pk, "expected_status": "accepted"}, format="json")
    assert stale.status_code == 409
    assert accepted.events.filter(verb="redispatch").count() == 0


def test_a_redispatch_names_the_state_it_saw(cw, accepted, api_for):
    api = api_for(cw.w.worker_a)
    url = f"/api/v1/cases/{accepted.pk}/dispatch/"
    assert api.post(url, {"unit": cw.unit_a.pk}, format="json").status_code == 200
    redo = api.post(url, {"unit": cw.office.pk, "expected_status": "dispatched"}, format="json")
    assert redo.status_code == 200, redo.content
    assert redo.json()["lead_unit"] == cw.office.pk
    assert accepted.events.filter(verb="redispatch").count() == 1
