"""The efficiency board (效能): per unit and per handler, with yellow and red cards for 庸懒散拖."""

from fractions import Fraction as Fr

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.cases import actions, efficiency, metrics
from minsheng.cases.efficiency import Card
from minsheng.cases.models import Case
from minsheng.cases.tests.test_metrics import NOW, Teller, dec, december, tell_story

pytestmark = pytest.mark.django_db


# -- the rules, at their boundaries ------------------------------------------------------------------


RULES = efficiency.DEFAULT_CARDS


@pytest.mark.parametrize(
    ("figures", "returns", "card"),
    [
        ({}, 0, Card.NONE),
        ({"overdue_open": 1}, 0, Card.NONE),
        ({"overdue_open": 1, "resolved_late": 1}, 0, Card.YELLOW),  # 超期 2
        ({"resolved_late": 3}, 0, Card.YELLOW),
        ({"overdue_open": 2, "resolved_late": 2}, 0, Card.RED),  # 超期 4
        ({"reworks": 2}, 0, Card.NONE),
        ({"reworks": 1}, 2, Card.YELLOW),  # 退单 + 返工 = 3
        ({"due": 5, "resolved_on_time": 2}, 0, Card.RED),  # 40 % of 5
        ({"due": 5, "resolved_on_time": 3}, 0, Card.NONE),  # exactly 60 % is not below
        ({"due": 4, "resolved_on_time": 0}, 0, Card.NONE),  # too few cases to judge a rate
        ({"due": 10, "resolved_on_time": 5}, 6, Card.RED),  # red wins over yellow
    ],
)
def test_card_rules(figures, returns, card):
    got, reasons = efficiency.judge(metrics.Metrics(**figures), returns, RULES)
    assert got == card
    assert bool(reasons) == (card != Card.NONE)


def test_reasons_say_which_rules_were_broken():
    m = metrics.Metrics(due=5, resolved_on_time=1, overdue_open=1, resolved_late=3, reworks=3)
    card, reasons = efficiency.judge(m, 0, RULES)
    assert card == Card.RED
    assert reasons == (
        "超期 4 件，占 —（红牌线 4 件且 10%）",  # figures without cases of their own: the counts alone
        "按期办结率 20%，低于 60%（应办结 5 件）",
        "退单 0 次、返工 3 次（黄牌线合计 3 次）",
    )


def test_a_large_unit_with_a_few_late_cases_keeps_a_clean_sheet():
    """Calibrated on shares: 4 late out of 400 is a good year, 4 out of 8 is not."""
    big = metrics.Metrics(reported=400, overdue_open=2, resolved_late=2, due=380, resolved_on_time=376)
    small = metrics.Metrics(reported=8, overdue_open=2, resolved_late=2, due=8, resolved_on_time=6)
    assert efficiency.judge(big, 0, RULES)[0] == Card.NONE
    assert efficiency.judge(small, 0, RULES)[0] == Card.RED
    assert efficiency.judge(metrics.Metrics(reported=400, reworks=3), 0, RULES)[0] == Card.NONE


def test_thresholds_come_from_settings_key_by_key(settings):
    settings.MINSHENG_EFFICIENCY_CARDS = {"yellow_overdue": 3}
    assert efficiency.card_rules() == {**efficiency.DEFAULT_CARDS, "yellow_overdue": 3}
    settings.MINSHENG_EFFICIENCY_CARDS = {"yelow_overdue": 3}
    with pytest.raises(ImproperlyConfigured):
        efficiency.card_rules()


# -- the board on the hand-counted December story ------------------------------------------------------


@pytest.fixture
def story(cw):
    return tell_story(cw)


def test_board_per_unit_on_the_story(story):
    cw = story.cw
    rows = {r.key: r for r in efficiency.board(december(), by="lead_unit", now=NOW)}
    assert set(rows) == {cw.unit_a.pk, cw.office.pk, cw.unit_b.pk}  # no row for "not dispatched"
    unit_a, office, unit_b = rows[cw.unit_a.pk], rows[cw.office.pk], rows[cw.unit_b.pk]
    # 社区A: c2 resolved late, c14 unsigned past its 签收时限; c3 返工 once; c4 arrived after 城管科 returned it —
    # not 社区A's return
    assert (unit_a.open, unit_a.overdue, unit_a.reworks, unit_a.returns) == (1, 2, 1, 0)
    assert (unit_a.on_time_rate, unit_a.satisfaction_rate) == (Fr(6, 7), Fr(6, 6))
    # 城管科 returned c4 and handles c5 (extended, on time) and c13 (shelved)
    assert (office.returns, office.open, office.overdue, office.on_time_rate) == (1, 1, 0, 1)
    # 社区B: c9, 不满意 and overdue
    assert (unit_b.overdue, unit_b.satisfaction_rate) == (1, 0)
    assert unit_a.card == Card.YELLOW and unit_a.reasons == ("超期 2 件，占 25%（黄牌线 2 件且 5%）",)
    assert office.card == unit_b.card == Card.NONE


def test_board_per_handler_on_the_story(story):
    cw, w = story.cw, story.cw.w
    rows = {r.key: r for r in efficiency.board(december(), by="handler", now=NOW)}
    assert set(rows) == {w.grid_a.pk, cw.cadre.pk, w.grid_b.pk}  # c14 has no handler yet
    assert (rows[cw.cadre.pk].label, rows[cw.cadre.pk].returns) == ("城管科干部", 1)
    assert (rows[w.grid_a.pk].overdue, rows[w.grid_a.pk].reworks, rows[w.grid_a.pk].returns) == (1, 1, 0)
    assert rows[w.grid_b.pk].as_dict() == {
        "key": w.grid_b.pk,
        "label": "社区B网格员",
        "card": "",
        "card_label": "无",
        "reasons": [],
        "accepted": 1,
        "open": 1,
        "due": 1,
        "resolved": 0,
        "overdue": 1,
        "overdue_open": 1,
        "resolved_late": 0,
        "on_time_rate": 0.0,
        "rated": 1,
        "satisfaction_rate": 0.0,
        "returns": 0,
        "reworks": 0,
        "redos": 1,
    }


# -- cards earned through the real actions -------------------------------------------------------------


def test_cards_for_overdue_and_returned_work(cw):
    """社区B lets two cases run late (yellow); 社区A lets four run late and is on time for one of five (red);
    城管科 sends back three dispatches (yellow) — and the cases it sent back wait for the dispatcher, not on it."""
    t, w = Teller(cw), cw.w
    for _ in range(2):  # 社区B: due 8 Dec, replied 10 Dec
        t.reply_and_pass(
            t.to_handling(dec(1, 9), node=w.unit_b, unit=cw.unit_b, handler=w.grid_b), dec(10, 10)
        )
    t.reply_and_pass(t.to_handling(dec(1, 9)), dec(2, 10))  # 社区A: one on time …
    for _ in range(3):
        t.reply_and_pass(t.to_handling(dec(1, 9)), dec(9, 10))  # … three late …
    t.to_handling(dec(1, 9))  # … and one still open, past 8 Dec
    for _ in range(3):
        case = t.register(dec(2, 9))
        case = t.do(dec(2, 9, 30), actions.do_accept, case, actor=w.worker_a)
        case = t.do(dec(2, 10), actions.do_dispatch, case, actor=w.worker_a, unit=cw.office, handler=cw.cadre)
        t.do(dec(2, 10, 30), actions.do_return, case, actor=cw.cadre, reason="不属于本科室职责")

    units = efficiency.board(Case.objects.all(), by="lead_unit", now=NOW)
    assert [(r.label, r.card) for r in units] == [
        ("颐和社区居委会", Card.RED),
        (
            "未派遣（受理、派遣环节）",
            Card.YELLOW,
        ),  # the three sent back wait, overdue, at the dispatcher's desk
        ("龙泉社区居委会", Card.YELLOW),
        ("城管科", Card.YELLOW),
    ]
    red, _desk, yellow_b, yellow_office = units
    assert red.reasons == (
        "超期 4 件，占 80%（红牌线 4 件且 10%）",
        "按期办结率 20%，低于 60%（应办结 5 件）",
    )
    assert yellow_b.reasons == ("超期 2 件，占 100%（黄牌线 2 件且 5%）",)
    assert yellow_office.reasons == ("退单 3 次、返工 0 次（黄牌线合计 3 次）",)
    assert (yellow_office.metrics.accepted, yellow_office.overdue) == (
        0,
        0,
    )  # the returned cases are not its own
    waiting = {r.key: r.metrics for r in metrics.breakdown(Case.objects.all(), by="lead_unit", now=NOW)}[None]
    assert (waiting.accepted, waiting.overdue_open) == (3, 3)  # 待派遣, overdue at the dispatcher's desk

    people = {r.label: r.card for r in efficiency.board(Case.objects.all(), by="handler", now=NOW)}
    assert people == {"社区A网格员": Card.RED, "社区B网格员": Card.YELLOW, "城管科干部": Card.YELLOW}


def test_board_queries_do_not_grow_with_the_cases(cw):
    t, w = Teller(cw), cw.w

    def queries(by):
        with CaptureQueriesContext(connection) as ctx:
            efficiency.board(Case.objects.all(), by=by, now=NOW)
        return len(ctx.captured_queries)

    def returned_case(day):
        case = t.do(dec(day, 9, 30), actions.do_accept, t.register(dec(day, 9)), actor=w.worker_a)
        case = t.do(
            dec(day, 10), actions.do_dispatch, case, actor=w.worker_a, unit=cw.office, handler=cw.cadre
        )
        t.do(dec(day, 10, 30), actions.do_return, case, actor=cw.cadre, reason="不属于本科室职责")

    returned_case(1)
    few = {by: queries(by) for by in efficiency.BOARDS}
    for day in range(2, 6):
        returned_case(day)
        t.reply_and_pass(
            t.to_handling(dec(day, 9), node=w.unit_b, unit=cw.unit_b, handler=w.grid_b), dec(day, 15)
        )
    assert few == {by: queries(by) for by in efficiency.BOARDS} == {"lead_unit": 3, "handler": 2}


def test_unknown_board_is_refused(cw):
    with pytest.raises(ValueError):
        efficiency.board(Case.objects.all(), by="grid")
    assert efficiency.board(Case.objects.none(), now=NOW) == []
