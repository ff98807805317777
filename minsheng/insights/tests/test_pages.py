"""The leaders' pages render for a 街道 leader over the hand-counted December, and stay closed to others."""

import pytest
from django.urls import reverse

from minsheng.cases.tests.test_metrics import NOW, tell_story
from minsheng.core import clock

Q = "?start=2025-12-01&end=2025-12-31"


@pytest.fixture
def leader_client(cw, client, password):
    tell_story(cw)
    client.login(username="leader", password=password)
    return client


@pytest.mark.django_db
def test_a_leader_lands_on_the_cockpit(leader_client):
    with clock.at(NOW):
        response = leader_client.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == reverse("insights:cockpit")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["cockpit", "screen", "metrics", "report", "efficiency"])
def test_pages_render(leader_client, name):
    with clock.at(NOW):
        response = leader_client.get(reverse(f"insights:{name}") + Q)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_cockpit_links_every_figure_to_its_page(leader_client):
    with clock.at(NOW):
        html = leader_client.get(reverse("insights:cockpit") + Q).content.decode()
    assert reverse("insights:metric", args=["cases.resolved"]) in html
    assert "超期案件" in html


@pytest.mark.django_db
def test_metric_page_shows_value_and_rows(leader_client):
    with clock.at(NOW):
        response = leader_client.get(reverse("insights:metric", args=["cases.resolved"]) + Q)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 8
        assert response.context["rows"][0][1].startswith("/cases/")
        assert (
            f'href="{response.context["rows"][0][1]}"' in response.content.decode()
        )  # the rows are on the page
        assert leader_client.get(reverse("insights:metric", args=["no.such"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report", "efficiency"])
def test_docx_and_pdf(leader_client, name):
    with clock.at(NOW):
        response = leader_client.get(reverse(f"insights:{name}") + Q + "&format=docx")
        assert response.status_code == 200 and response.content[:2] == b"PK"
        response = leader_client.get(reverse(f"insights:{name}") + Q + "&format=pdf")
        assert response.status_code == 200 and response.content[:5] == b"%PDF-"


@pytest.mark.django_db
def test_closed_to_a_grid_worker(cw, client, password):
    client.force_login(cw.w.grid_a)
    assert client.get(reverse("insights:cockpit")).status_code == 403
    assert client.get(reverse("insights:efficiency")).status_code == 200  # their own record


@pytest.mark.django_db
def test_api(leader_client):
    with clock.at(NOW):
        listed = leader_client.get("/api/v1/insights/metrics/").json()
        assert any(m["code"] == "cases.resolved" for m in listed)
        value = leader_client.get("/api/v1/insights/metrics/cases.resolved/" + Q).json()
        assert value["value"] == 8
        rows = leader_client.get("/api/v1/insights/metrics/cases.resolved/rows/" + Q).json()
        assert rows["count"] == 8
        assert rows["results"][0]["url"].startswith("/cases/")
        assert leader_client.get("/api/v1/insights/metrics/cases.resolved/?start=x").status_code == 400


def test_a_domain_without_headline_tags_shows_its_first_figures(monkeypatch):
    from minsheng.core import metrics
    from minsheng.insights import queries

    monkeypatch.setattr(metrics, "_registry", dict(metrics._registry))
    for i in range(6):
        metrics.register(
            metrics.Metric(
                code=f"later.figure{i}",
                name=f"指标{i}",
                definition="—",
                unit=metrics.Unit.COUNT,
                domain="later",
                compute=lambda scope: 1,
            )
        )
    codes = [m.code for m in queries.headline_metrics()]
    assert [c for c in codes if c.startswith("later.")] == [f"later.figure{i}" for i in range(4)]
    assert "cases.accepted" not in codes  # cases tagged its own headline figures


@pytest.mark.django_db
def test_the_big_screen_counts_what_waits_and_names_no_case(leader_client):
    """The command centre's wall is read by whoever is in the room: the cockpit lists the overdue cases by title,
    the big screen of the same leader over the same days only counts them, and its map's points are dots."""
    from minsheng.cases.models import Case

    for i, case in enumerate(Case.objects.order_by("pk")):  # on the map
        Case.objects.filter(pk=case.pk).update(lat=36.495 + i * 0.001, lng=118.495)
    with clock.at(NOW):
        cockpit = leader_client.get(reverse("insights:cockpit") + Q)
        screen = leader_client.get(reverse("insights:screen") + Q)
    assert any(p["title"] for layer in cockpit.context["map_data"]["layers"] for p in layer["points"])
    listed = [item for w in cockpit.context["waiting"] for item in w.items]
    assert listed, "the cockpit lists what waits"
    html = screen.content.decode()
    overdue = next(w for w in screen.context["waiting"] if w.source.code == "cases.overdue")
    assert overdue.count == 2 and overdue.items == []
    for item in listed:
        assert item.title not in html and f'href="{item.url}"' not in html
    for case in Case.objects.all():
        assert f"/cases/{case.pk}/" not in html
    points = [p for layer in screen.context["map_data"]["layers"] for p in layer["points"]]
    assert points and all(p["title"] == "" and p["url"] == "" for p in points)


@pytest.mark.django_db
def test_the_period_before_is_kept_a_while_this_period_is_fresh(leader_client, cw, settings):
    """The cockpit's comparison figures are of a period that has ended (decision 0080): kept a few minutes per
    viewer, so a reload runs only this period's queries; a case reported now counts at once, a late change to the
    period before shows once the kept figure expires (here: when keeping is switched off)."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minsheng.cases import actions
    from minsheng.cases.choices import Channel
    from minsheng.core.calendar import TZ

    def register():
        actions.do_register(
            actor=cw.w.grid_a,
            kind="appeal",
            channel=Channel.GRID_PATROL,
            category=cw.cat_sewer,
            description="楼道里堆放杂物，堵塞消防通道",
            node=cw.w.building_a,
        )

    def reported(response):
        f = next(
            f for _d, _l, fs in response.context["headline"] for f in fs if f.metric.code == "cases.reported"
        )
        return f.value, f.previous

    url = reverse("insights:cockpit") + Q
    with clock.at(NOW):
        with CaptureQueriesContext(connection) as cold:
            now, before = reported(leader_client.get(url))
        register()
        with CaptureQueriesContext(connection) as warm:
            assert reported(leader_client.get(url)) == (now + 1, before)
    assert len(warm) < len(cold)
    with clock.at(dt.datetime(2025, 11, 20, 10, 0, tzinfo=TZ)):
        register()  # late: in the period before
    with clock.at(NOW):
        assert reported(leader_client.get(url)) == (now + 1, before)  # kept
        settings.MINSHENG_INSIGHTS_ENDED_SECONDS = 0
        assert reported(leader_client.get(url)) == (now + 1, before + 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "dates", [("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("2025-02-30", "x")]
)
def test_dates_outside_the_calendar_are_bad_input_not_a_crash(leader_client, dates):
    """The period before 0001-01-01 does not exist: a page falls back to this month, the API answers 400."""
    query = {"start": dates[0], "end": dates[1]}
    with clock.at(NOW):
        page = leader_client.get(reverse("insights:cockpit"), query)
        assert page.status_code == 200 and page.context["period"].kind == "month"
        api = leader_client.get("/api/v1/insights/metrics/cases.resolved/", query)
        assert api.status_code == 400
