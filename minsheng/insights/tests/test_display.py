"""The command centre's display links (decision 0057): issued by a leader for his subtree, shown without a login,
aggregate figures only, nothing else reachable, revoked or expired links answered with a clear page."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from minsheng.accounts.models import User
from minsheng.cases.models import Case
from minsheng.cases.tests.test_metrics import NOW, tell_story
from minsheng.core import clock, metrics
from minsheng.core.metrics import Scope
from minsheng.insights import actions, display, periods
from minsheng.insights.models import DisplayLink
from minsheng.org.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(cw):
    tell_story(cw)
    return cw


def _issue(cw, node=None, **kw):
    with clock.at(NOW):
        link = actions.do_issue_display_link(
            actor=cw.leader, node=node or cw.w.street, label="指挥中心大屏", period="month", **kw
        )
    return link, reverse("insights:display", args=[display.token(link)])


def _show(url, when=NOW, client=None):
    with clock.at(when):
        return (client or Client()).get(url)


def test_a_leader_issues_lists_and_revokes_a_link_on_the_page(told, client):
    client.force_login(told.leader)
    with clock.at(NOW):
        page = client.get(reverse("insights:display_links"))
        assert page.status_code == 200
        response = client.post(
            reverse("insights:display_links"),
            {"label": "指挥中心大屏", "node": told.w.street.pk, "period": "month", "days": 7},
        )
        assert response.status_code == 302
        link = DisplayLink.objects.get()
        assert link.created_by == told.leader and link.expires_at == NOW + dt.timedelta(days=7)
        listed = client.get(reverse("insights:display_links")).content.decode()
        url = reverse("insights:display", args=[display.token(link)])
        assert url in listed
    assert _show(url).status_code == 200
    with clock.at(NOW):
        assert client.post(reverse("insights:display_revoke", args=[link.pk])).status_code == 302
        assert url not in client.get(reverse("insights:display_links")).content.decode()
    ended = _show(url)
    assert ended.status_code == 410 and "链接已撤销" in ended.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "", "period": "month", "days": 7}, "label"),
        ({"label": "大屏", "period": "decade", "days": 7}, "period"),
        ({"label": "大屏", "period": "month", "days": 0}, "days"),
        ({"label": "大屏", "period": "month", "days": 366}, "days"),
        ({"label": "大屏", "period": "month", "days": "x"}, "days"),
    ],
)
def test_bad_input_is_a_form_error(cw, client, data, field):
    client.force_login(cw.leader)
    with clock.at(NOW):
        response = client.post(reverse("insights:display_links"), {"node": cw.w.street.pk, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not DisplayLink.objects.exists()


def test_expiry_is_configurable(cw, client, settings):
    settings.MINSHENG_DISPLAY_LINKS = {"days": 3, "max_days": 10}
    client.force_login(cw.leader)
    with clock.at(NOW):
        assert client.get(reverse("insights:display_links")).context["form"]["days"].initial == 3
        response = client.post(
            reverse("insights:display_links"),
            {"label": "大屏", "node": cw.w.street.pk, "period": "week", "days": 11},
        )
    assert response.status_code == 400 and "days" in response.context["form"].errors


def test_a_leader_cannot_bind_a_link_outside_his_subtree(cw, client, password):
    from minsheng.accounts import actions as account_actions
    from minsheng.accounts.choices import Role

    local = account_actions.create_user(username="local_leader", display_name="社区书记", password=password)
    account_actions.grant_membership(user=local, role=Role.STREET_LEADER, node=cw.w.community_a)
    client.force_login(local)
    with clock.at(NOW):
        response = client.post(
            reverse("insights:display_links"),
            {"label": "大屏", "node": cw.w.street.pk, "period": "month", "days": 7},
        )
        assert response.status_code == 400 and "node" in response.context["form"].errors
        with pytest.raises(PermissionDenied):  # the action refuses too
            actions.do_issue_display_link(actor=local, node=cw.w.street, label="大屏")
        street_link, _url = _issue(cw)
        # the street's link is not his to see or revoke
        assert client.post(reverse("insights:display_revoke", args=[street_link.pk])).status_code == 404
        listed = client.get(reverse("insights:display_links")).content.decode()
        assert reverse("insights:display_revoke", args=[street_link.pk]) not in listed
        assert display.token(street_link) not in listed


def test_the_screen_shows_the_subtree_figures_without_a_login(told):
    link, url = _issue(told, node=told.w.community_a)
    response = _show(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="60">' in html
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies
    period = periods.current("month", NOW.date())
    shown = {f.metric.code: f.value for _d, _l, figures in response.context["headline"] for f in figures}
    assert "cases.resolved" in shown
    differs = False
    with clock.at(NOW):
        for code, value in shown.items():
            metric = metrics.get(code)
            assert value == metric.compute(Scope(told.leader, period.start, period.end, told.w.community_a))
            differs |= value != metric.compute(Scope(told.leader, period.start, period.end, None))
    assert differs  # bound to the community, not the street
    assert response.context["node"] == told.w.community_a
    link.refresh_from_db()
    assert link.shown == 1 and link.last_shown_at == NOW


def test_the_screen_shows_no_personal_data_and_links_nowhere(told):
    _link, url = _issue(told)
    html = _show(url).content.decode()
    waiting = _show(url).context["waiting"]
    assert waiting and all(w.items == [] for w in waiting)  # counts only
    personal = set()
    for case in Case.objects.all():
        personal |= {case.title, case.number, case.reporter_name, case.reporter_phone, case.address}
    for user in User.objects.all():
        personal |= {user.display_name, user.username, user.phone}
    for resident in Resident.objects.all():
        personal |= {resident.name, resident.phone}
    personal.discard("")
    leaked = sorted(p for p in personal if p and p in html)
    assert not leaked, leaked
    targets = re.findall(r'(?:href|src|action)="([^"]*)"', html)
    assert targets and all(t.startswith("/static/") for t in targets), targets
    assert "<a " not in html and "<form" not in html and "<script" not in html


def test_the_token_opens_nothing_else(cw):
    link, url = _issue(cw)
    token = display.token(link)
    anonymous = Client()
    assert _show(url, client=anonymous).status_code == 200
    with clock.at(NOW):
        for other in (
            reverse("insights:cockpit"),
            reverse("insights:screen"),
            reverse("insights:metric", args=["cases.accepted"]),
            reverse("insights:display_links"),
            reverse("cases:overdue"),
        ):
            response = anonymous.get(f"{other}?token={token}")
            assert response.status_code == 302 and "/login" in response["Location"], other
        assert anonymous.get(
            "/api/v1/insights/metrics/", HTTP_AUTHORIZATION=f"Token {token}"
        ).status_code in (
            401,
            403,
        )
        assert anonymous.post(url).status_code == 405  # read-only
        assert anonymous.get(url + "x/").status_code == 404


@pytest.mark.parametrize("bad", ["nonsense", "a:b:c", "", "%00"])
def test_a_bad_token_gets_a_clear_page(cw, bad):
    _link, url = _issue(cw)
    response = _show(url[:-1] + bad + "/") if bad else _show(url[:-2] + "/")
    assert response.status_code == 404
    assert "链接无效" in response.content.decode()


def test_an_altered_or_superseded_token_is_refused(cw):
    link, url = _issue(cw)
    payload, *signature = display.token(link).split(":")
    altered = ":".join([payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"), *signature])
    assert _show(reverse("insights:display", args=[altered])).status_code == 404
    # a well-signed token whose nonce is no longer the link's (the row was re-keyed) is refused as well
    DisplayLink.objects.filter(pk=link.pk).update(nonce="0" * 32)
    response = _show(url)
    assert response.status_code == 404 and "链接无效" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(cw):
    _link, url = _issue(cw, days=2)
    assert _show(url, NOW + dt.timedelta(days=1)).status_code == 200
    response = _show(url, NOW + dt.timedelta(days=2, seconds=1))
    assert response.status_code == 410 and "链接已过期" in response.content.decode()


def test_a_link_ends_when_its_issuer_loses_the_right(cw):
    from minsheng.accounts.models import Membership

    _link, url = _issue(cw)
    Membership.objects.filter(user=cw.leader).delete()
    response = _show(url)
    assert response.status_code == 410 and "链接已失效" in response.content.decode()


def test_revoking_twice_is_refused(cw):
    from minsheng.core.errors import IllegalTransition

    link, _url = _issue(cw)
    with clock.at(NOW):
        actions.do_revoke_display_link(link, actor=cw.leader)
        with pytest.raises(IllegalTransition):
            actions.do_revoke_display_link(link, actor=cw.leader)
