"""Who reads what: petitions only with a 信访 capability (and leaders) — never a grid worker, not even through the
cases list or API; disputes by place; the centre's steps only with their capabilities."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from minsheng.cases.models import Case
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.mediation import actions
from minsheng.mediation.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(centre):
    with clock.at(dt.datetime(2026, 3, 2, 9, tzinfo=TZ)):
        return actions.do_register_petition(
            actor=centre.clerk,
            form="visit",
            node=centre.w.unit_a,
            petitioner="赵大爷",
            phone="13911112222",
            matter="拆迁补偿款未到位",
        )


def test_grid_worker_never_reads_a_petition(centre, petition, client_for, api_for):
    grid = centre.w.grid_a  # 社区A, where the petition sits
    assert not Petition.objects.visible_to(grid).exists()
    assert not Case.objects.visible_to(grid).filter(pk=petition.case_id).exists()
    assert not Case.objects.visible_to(centre.w.worker_a).filter(pk=petition.case_id).exists()
    api = api_for(grid)
    assert api.get(f"/api/v1/cases/{petition.case_id}/").status_code == 404
    listed = api.get("/api/v1/cases/").json()
    assert petition.case.number not in str(listed)
    assert api.get("/api/v1/mediation/petitions/").status_code == 403
    assert api.get(f"/api/v1/mediation/petitions/{petition.pk}/").status_code == 403
    assert client_for(grid).get(f"/cases/{petition.case_id}/").status_code == 404


def test_leader_and_centre_read_petitions(centre, petition, api_for):
    for user in (centre.leader, centre.clerk, centre.w.admin):
        assert Petition.objects.visible_to(user).filter(pk=petition.pk).exists()
        assert Case.objects.visible_to(user).filter(pk=petition.case_id).exists()
        assert api_for(user).get(f"/api/v1/mediation/petitions/{petition.pk}/").status_code == 200


def test_leader_reads_but_cannot_handle(centre, petition):
    with pytest.raises(PermissionDenied):
        actions.do_accept_petition(petition, actor=centre.leader, accept=True, notice_text="受理")


def test_only_approvers_extend(centre, petition):
    actions.do_accept_petition(petition, actor=centre.clerk, accept=True, notice_text="受理")
    with pytest.raises(PermissionDenied):
        actions.do_extend_petition(petition, actor=centre.clerk, reason="情况复杂")
    p = actions.do_extend_petition(petition, actor=centre.leader, reason="涉及多个部门，需要联合调查")
    assert p.extended and p.extension_approved_by == centre.leader


def test_grid_worker_cannot_mediate_or_receive(centre):
    with pytest.raises(PermissionDenied):
        actions.do_register_visit(actor=centre.w.grid_a, node=centre.w.unit_a, name="某人", matter="事")
    with pytest.raises(PermissionDenied):
        actions.do_open_dispute(
            actor=centre.w.grid_a,
            node=centre.w.unit_a,
            type="neighbour",
            source="applied",
            facts="事",
            parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
        )


def test_community_worker_reports_only_for_own_community(centre):
    import datetime as dt2

    week = dt2.date(2026, 3, 2)
    with clock.at(dt.datetime(2026, 3, 4, 9, tzinfo=TZ)):
        actions.do_submit_weekly(
            actor=centre.w.worker_a, node=centre.w.community_a, week=week, items=[], zero=True
        )
        with pytest.raises(PermissionDenied):
            actions.do_submit_weekly(
                actor=centre.w.worker_a, node=centre.w.community_b, week=week, items=[], zero=True
            )


def test_resident_reporter_still_sees_own_petition_case(centre):
    resident_user = centre.w.resident
    from minsheng.org.models import Resident

    person = Resident.objects.create(
        name="居民小王", node=centre.w.unit_a, user=resident_user, phone="13800000005"
    )
    p = actions.do_register_petition(
        actor=centre.clerk,
        form="online",
        node=centre.w.unit_a,
        petitioner="居民小王",
        resident=person,
        matter="楼道灯不亮",
    )
    assert Case.objects.visible_to(resident_user).filter(pk=p.case_id).exists()
