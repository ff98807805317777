"""Dispatch offers the units that make sense first, and who may dispatch to whom follows the org tree."""

import pytest
from django.core.exceptions import PermissionDenied

from minsheng.cases import actions, routing
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Unit

pytestmark = pytest.mark.django_db


def accepted_case(cw, category=None):
    case = actions.do_register(
        actor=cw.w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=category or cw.cat_sewer,
        description="小区污水井堵塞外溢",
        node=cw.w.unit_a,
    )
    return actions.do_accept(case, actor=cw.w.worker_a)


def test_groups_put_the_suggestion_and_the_local_units_first(cw):
    property_co = Unit.objects.create(name="颐和物业", kind=UnitKind.PROPERTY, node=cw.w.estate_a)
    case = accepted_case(cw)
    units = list(Unit.objects.filter(is_active=True).select_related("node"))
    groups = routing.dispatch_groups(case, cw.w.admin, units)
    labels = [g.label for g in groups]
    assert labels[0] == "建议（派遣规则）" and cw.unit_a in groups[0].units
    local = next(g for g in groups if g.label == "本社区/村及辖区物业")
    assert property_co in local.units
    assert labels.index("街道科室") > labels.index("本社区/村及辖区物业")
    assert sum(len(g.units) for g in groups) == len(units)  # every unit once


def test_a_community_dispatches_down_and_up_but_not_sideways(cw):
    case = accepted_case(cw)
    worker = cw.w.worker_a  # 社区A's desk
    assert routing.may_dispatch_to(worker, cw.unit_a)
    assert routing.may_dispatch_to(worker, cw.office)  # up: the street's office
    assert not routing.may_dispatch_to(worker, cw.unit_b)  # sideways: another community
    units = list(Unit.objects.filter(is_active=True).select_related("node"))
    offered = {u for g in routing.dispatch_groups(case, worker, units) for u in g.units}
    assert cw.unit_b not in offered
    with pytest.raises(PermissionDenied):
        actions.do_dispatch(case, actor=worker, unit=cw.unit_b)
    actions.do_dispatch(case, actor=worker, unit=cw.unit_a)


def test_dispatch_form_has_groups_and_a_search(cw, client_for):
    case = accepted_case(cw)
    html = client_for(cw.w.worker_a).get(f"/cases/{case.pk}/").content.decode()
    assert "data-unit-search" in html and '<optgroup label="建议（派遣规则）">' in html
    assert "龙泉社区居委会" not in html.split('id="dispatch-unit"')[1].split("</select>")[0]
