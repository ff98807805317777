"""/api/v1/agri/: scoping (a supervisor reads and records only in his villages), permission errors, 400 on bad
input, the repeat path, and the commodity search with aliases."""

import pytest

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.agri.models import RapidTest, Sample

SAMPLES = "/api/v1/agri/samples/"


def record(api, aw, **overrides):
    data = {
        "commodity": "豆角",
        "village": aw.village_1.pk,
        "stall": "东关集市3号摊",
        "certificate_shown": True,
        "delta_a0": "0.300",
        "delta_at": "0.250",
    }
    data.update(overrides)
    return api.post(SAMPLES, data, format="json")


def test_record_negative_then_read_it_back(aw, api_for):
    api = api_for(aw.supervisor)
    response = record(api, aw)
    assert response.status_code == 201, response.data
    body = response.data
    assert (body["commodity"], body["status"], body["rapid_tests"][0]["inhibition"]) == (
        "豇豆",
        "passed",
        "16.67",
    )
    assert api.get(f"{SAMPLES}{body['id']}/").data["rapid_tests"][0]["result"] == "negative"
    assert [row["id"] for row in api.get(SAMPLES, {"status": "passed"}).data["results"]] == [body["id"]]


def test_positive_gets_repeats_through_the_api(aw, api_for):
    api = api_for(aw.supervisor)
    sample_id = record(api, aw, commodity="韭菜", delta_at="0.100").data["id"]
    url = f"{SAMPLES}{sample_id}/rapid-tests/"
    first = api.post(url, {"delta_a0": "0.3", "delta_at": "0.29"}, format="json")
    assert (first.status_code, first.data["status"]) == (201, "repeating")
    second = api.post(url, {"delta_a0": "0.3", "delta_at": "0.1"}, format="json")
    assert second.data["status"] == "confirming"
    assert second.data["rapid_tests"][0]["false_positive_warning"] is True
    assert api.post(url, {"delta_a0": "0.3", "delta_at": "0.1"}, format="json").status_code == 400


def test_supervisor_sees_only_his_villages(aw, api_for):
    theirs = record(api_for(aw.w.admin), aw, village=aw.village_2.pk).data["id"]
    mine = record(api_for(aw.supervisor), aw).data["id"]
    api = api_for(aw.supervisor)
    assert [row["id"] for row in api.get(SAMPLES).data["results"]] == [mine]
    assert api.get(f"{SAMPLES}{theirs}/").status_code == 404
    assert api.post(f"{SAMPLES}{theirs}/rapid-tests/", {"delta_a0": "1", "delta_at": "1"}).status_code == 404
    # another village cannot even be named
    response = record(api, aw, village=aw.village_2.pk)
    assert response.status_code == 400 and "village" in response.data


def test_permission_errors(aw, api_for, password):
    assert record(api_for(aw.w.resident), aw).status_code == 403
    assert api_for(aw.w.resident).get(SAMPLES).status_code == 403
    leader = account_actions.create_user(username="leader", display_name="分管领导", password=password)
    account_actions.grant_membership(user=leader, role=Role.STREET_LEADER, node=aw.w.street)
    # The leader reads the agri figures but records nothing.
    assert api_for(leader).get(SAMPLES).status_code == 200
    assert record(api_for(leader), aw).status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get(SAMPLES).status_code in (401, 403)
    assert not Sample.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"commodity": "不存在的菜"}, "commodity"),
        ({"delta_a0": "0"}, "delta_a0"),
        ({"delta_at": "abc"}, "delta_at"),
        ({"delta_a0": None, "delta_at": None}, "delta_a0"),
        ({"stall": ""}, "producer"),
        ({"level": "province"}, "level"),
        ({"method": "colloidal_gold"}, "pesticide"),
    ],
)
def test_bad_input_is_400_with_the_field_and_records_nothing(aw, api_for, overrides, field):
    data = {k: v for k, v in overrides.items() if v is not None}
    api = api_for(aw.supervisor)
    if None in overrides.values():
        response = api.post(
            SAMPLES, {"commodity": "豆角", "village": aw.village_1.pk, "stall": "x"}, format="json"
        )
    else:
        response = record(api, aw, **data)
    assert response.status_code == 400
    assert field in response.data
    assert not Sample.objects.exists() and not RapidTest.objects.exists()


def test_commodity_search_finds_aliases(aw, api_for):
    api = api_for(aw.supervisor)
    names = [row["name"] for row in api.get("/api/v1/agri/commodities/", {"q": "豆角"}).data["results"]]
    assert names == ["豇豆"]
    row = api.get("/api/v1/agri/commodities/", {"q": "韭"}).data["results"][0]
    assert row["name"] == "韭菜" and row["path"].startswith("蔬菜")
