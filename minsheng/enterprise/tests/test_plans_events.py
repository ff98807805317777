"""一企一策, events, outcomes, policies and deliveries: each action, its refusals and its permission."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.core.errors import IllegalTransition
from minsheng.enterprise import actions, queries
from minsheng.enterprise.choices import DeliveryMethod, EventKind, NeedKind, PlanStatus, SizeClass
from minsheng.enterprise.models import EnterpriseTag, PolicyDelivery

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def plan_for(ew, **kw):
    fields = {
        "year": 2026,
        "summary": "初创企业，缺少流动资金",
        "needs": [(NeedKind.FUNDING, "流动资金200万元"), (NeedKind.REGISTRATION, "食品生产许可")],
        "actions": [
            {"title": "对接农商银行", "owner": ew.officer, "due": TODAY + dt.timedelta(days=30), "need": 0},
            {"title": "指导办理许可", "owner": ew.leader, "due": TODAY + dt.timedelta(days=60), "need": 1},
        ],
    }
    fields.update(kw)
    return actions.do_create_plan(ew.ent_a, actor=ew.officer, **fields)


def test_plan_life(ew):
    plan = plan_for(ew)
    assert plan.status == PlanStatus.DRAFT and plan.needs.count() == 2 and plan.actions.count() == 2
    first = plan.actions.order_by("pk").first()
    with pytest.raises(IllegalTransition):  # not before the committee's review
        actions.do_update_progress(first, actor=ew.officer, progress=50)
    with pytest.raises(PermissionDenied):  # the officer is not on the committee
        actions.do_review_plan(plan, actor=ew.officer, approve=True, opinion="同意")
    plan = actions.do_review_plan(plan, actor=ew.leader, approve=False, opinion="补充资金来源")
    assert plan.status == PlanStatus.RETURNED
    plan = actions.do_resubmit_plan(plan, actor=ew.officer, summary="补充：已有担保")
    plan = actions.do_review_plan(plan, actor=ew.leader, approve=True, opinion="同意")
    assert plan.status == PlanStatus.REVIEWED
    with pytest.raises(IllegalTransition):
        actions.do_complete_plan(plan, actor=ew.officer)  # actions still open
    for action in plan.actions.all():
        actions.do_update_progress(action, actor=action.owner, progress=100, note="完成")
    with pytest.raises(PermissionDenied):  # a grid worker is neither owner nor enterprise staff
        actions.do_update_progress(first, actor=ew.w.grid_a, progress=10)
    assert actions.do_complete_plan(plan, actor=ew.officer).status == PlanStatus.DONE


def test_plan_input_errors(ew):
    with pytest.raises(ValidationError) as exc:
        actions.do_create_plan(ew.ent_a, actor=ew.officer, year=2026, summary="", needs=[])
    assert {"summary", "needs"} <= set(exc.value.message_dict)
    plan_for(ew)
    with pytest.raises(ValidationError):
        plan_for(ew)  # one plan a year
    with pytest.raises(PermissionDenied):
        actions.do_create_plan(
            ew.ent_a, actor=ew.officer_b, year=2027, summary="x", needs=[(NeedKind.POLICY, "y")]
        )


def test_matchmaking_outcomes_per_pair(ew):
    bank = actions.do_add_bank(actor=ew.officer, name="农商银行")
    other = actions.do_add_bank(actor=ew.officer, name="邮储银行")
    event = actions.do_record_event(
        actor=ew.officer,
        kind=EventKind.MATCHMAKING,
        title="政银企对接会",
        held_on=TODAY,
        node=ew.w.street,
        enterprises=[ew.ent_a],
        banks=[bank],
    )
    outcome = actions.do_record_outcome(
        event, actor=ew.officer, enterprise=ew.ent_a, bank=bank, intent_amount=500
    )
    outcome = actions.do_record_outcome(
        event,
        actor=ew.officer,
        enterprise=ew.ent_a,
        bank=bank,
        intent_amount=500,
        credit_amount=300,
        loan_amount=200,
    )
    assert event.outcomes.count() == 1  # the same pair updated, amounts apart
    assert (outcome.intent_amount, outcome.credit_amount, outcome.loan_amount) == (500, 300, 200)
    with pytest.raises(ValidationError):
        actions.do_record_outcome(event, actor=ew.officer, enterprise=ew.ent_b, bank=bank, intent_amount=1)
    with pytest.raises(ValidationError):
        actions.do_record_outcome(event, actor=ew.officer, enterprise=ew.ent_a, bank=other, intent_amount=1)
    with pytest.raises(ValidationError):
        actions.do_record_outcome(event, actor=ew.officer, enterprise=ew.ent_a, bank=bank, intent_amount=-1)
    training = actions.do_record_event(
        actor=ew.officer,
        kind=EventKind.TRAINING,
        title="培训",
        held_on=TODAY,
        node=ew.w.street,
        enterprises=[ew.ent_a],
    )
    with pytest.raises(IllegalTransition):
        actions.do_record_outcome(training, actor=ew.officer, enterprise=ew.ent_a, bank=bank, intent_amount=1)
    with pytest.raises(ValidationError):  # banks only at matchmaking
        actions.do_record_event(
            actor=ew.officer,
            kind=EventKind.TRAINING,
            title="x",
            held_on=TODAY,
            node=ew.w.street,
            banks=[bank],
        )


def test_policy_matching_and_delivery(ew):
    small = EnterpriseTag.objects.get(name="小微")
    policy = actions.do_add_policy(
        actor=ew.officer,
        title="小微贷款贴息",
        issuer="县财政局",
        issued_on=TODAY - dt.timedelta(days=30),
        summary="贴息",
        tags=[small],
        sizes=[SizeClass.SMALL, SizeClass.MICRO],
    )
    assert list(queries.matching_enterprises(policy, ew.officer)) == [ew.ent_a]  # ent_b: medium, untagged
    assert list(queries.matching_policies(ew.ent_a, ew.officer)) == [policy]
    assert list(queries.matching_policies(ew.ent_b, ew.officer)) == []
    actions.do_deliver_policy(
        policy, actor=ew.officer, enterprise=ew.ent_a, delivered_on=TODAY, method=DeliveryMethod.VISIT
    )
    with pytest.raises(IllegalTransition):
        actions.do_deliver_policy(policy, actor=ew.officer, enterprise=ew.ent_a, delivered_on=TODAY)
    with pytest.raises(ValidationError):
        actions.do_deliver_policy(
            policy, actor=ew.officer, enterprise=ew.ent_b, delivered_on=TODAY - dt.timedelta(days=60)
        )
    with pytest.raises(ValidationError):
        actions.do_add_policy(actor=ew.officer, title="", issuer="", issued_on=TODAY, summary="")


def test_a_policy_event_delivers_each_policy_to_each_enterprise(ew):
    policy = actions.do_add_policy(
        actor=ew.officer, title="稳岗返还", issuer="县人社局", issued_on=TODAY, summary="返还"
    )
    actions.do_record_event(
        actor=ew.officer,
        kind=EventKind.POLICY,
        title="送政策进企业",
        held_on=TODAY,
        node=ew.w.street,
        enterprises=[ew.ent_a, ew.ent_b],
        policies=[policy],
    )
    assert PolicyDelivery.objects.filter(policy=policy, method=DeliveryMethod.EVENT).count() == 2
    with pytest.raises(ValidationError):  # a policy event presents policies
        actions.do_record_event(
            actor=ew.officer, kind=EventKind.POLICY, title="x", held_on=TODAY, node=ew.w.street
        )


def test_registry_actions(ew):
    with pytest.raises(ValidationError) as exc:
        actions.add_contact(ew.ent_a, actor=ew.officer, name="", phone="12345")
    assert {"name", "phone"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):  # the same phone twice at one enterprise
        actions.add_contact(ew.ent_a, actor=ew.officer, name="另一人", phone=ew.contact_a.phone)
    updated = actions.update_enterprise(ew.ent_a, actor=ew.officer, name="颐和食品股份有限公司", employees=55)
    assert updated.name == "颐和食品股份有限公司" and updated.employees == 55
    with pytest.raises(ValidationError):
        actions.update_enterprise(ew.ent_a, actor=ew.officer, credit_code=ew.ent_b.credit_code)
    with pytest.raises(PermissionDenied):
        actions.update_enterprise(ew.ent_a, actor=ew.officer_b, name="x")
    with pytest.raises(PermissionDenied):  # moving it out of the actor's scope
        actions.update_enterprise(ew.ent_b, actor=ew.officer_b, node=ew.w.community_a)
