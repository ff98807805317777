"""The thresholds page of a greenhouse: what is in force and where it comes from; setting, validating and
removing overrides at greenhouse and cluster level; who may; and the admin."""

import pytest
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.iot.choices import GrowthStage, SensorKind, Severity
from minsheng.iot.models import CombinedCondition, CombinedRule, ThresholdOverride
from minsheng.testing.fixtures import PASSWORD

pytestmark = pytest.mark.django_db
TEMP = SensorKind.AIR_TEMP


def form_data(**fields):
    data = {
        "kind": TEMP,
        "stage": "",
        "day_min": "15",
        "day_max": "24",
        "night_min": "4",
        "night_max": "",
        "severity": Severity.MAJOR,
        "critical_delta": "8",
        "duration_minutes": "5",
        "repeat_count": "0",
        "hysteresis": "0.5",
        "clear_minutes": "3",
        "stuck_readings": "0",
        "stuck_minutes": "0",
        "spike_per_minute": "",
        "note": "棚顶传感器，偏热",
    }
    data.update(fields)
    return data


@pytest.fixture
def supervisor(farm):
    user = account_actions.create_user(
        username="cun", display_name="村监管员", phone="13800000009", password=PASSWORD
    )
    account_actions.grant_membership(user=user, role=Role.VILLAGE_SUPERVISOR, node=farm.village)
    return user


def rows(page) -> dict:
    return {row["kind"]: row for row in page.context["rows"]}


def test_the_page_shows_each_kind_with_its_origin(farm, client_for):
    ThresholdOverride.objects.create(
        cluster=farm.cluster, kind=SensorKind.AIR_HUMIDITY, day_min=45, day_max=70
    )
    rule = CombinedRule.objects.create(name="高温高湿", cluster=farm.cluster)
    CombinedCondition.objects.create(rule=rule, kind=TEMP, comparison="gt", value=30)
    page = client_for(farm.w.admin).get(reverse("iot:rules", args=[farm.greenhouse.pk]))
    assert page.status_code == 200
    found = rows(page)
    assert found[TEMP]["origin_code"] == "default" and found[TEMP]["text"]["day"] == "16 ~ 20"
    assert found[SensorKind.AIR_HUMIDITY]["origin_code"] == "cluster"
    html = page.content.decode()
    assert "片区设置" in html and "默认方案" in html and "45 ~ 70" in html
    assert "高温高湿" in html and "空气温度 &gt; 30" in html
    # the greenhouse page links here
    detail = client_for(farm.w.admin).get(reverse("iot:greenhouse", args=[farm.greenhouse.pk]))
    assert reverse("iot:rules", args=[farm.greenhouse.pk]) in detail.content.decode()


def test_a_new_override_starts_from_what_is_in_force_and_saves(farm, client_for):
    client = client_for(farm.w.admin)
    url = reverse("iot:rule_new", args=[farm.greenhouse.pk])
    blank = client.get(url, {"level": "greenhouse", "kind": TEMP})
    assert blank.status_code == 200
    assert (blank.context["form"].initial["day_min"], blank.context["form"].initial["stage"]) == (
        16,
        GrowthStage.BLOOM,
    )
    response = client.post(url + "?level=greenhouse", form_data())
    assert response.status_code == 302
    override = ThresholdOverride.objects.get()
    assert (override.greenhouse, override.cluster, override.day_max, override.clear_minutes) == (
        farm.greenhouse,
        None,
        24,
        3,
    )
    page = client.get(reverse("iot:rules", args=[farm.greenhouse.pk]))
    assert rows(page)[TEMP]["origin_code"] == "greenhouse"
    # edit: the kind stays; delete: the default applies again
    edit = reverse("iot:rule_edit", args=[farm.greenhouse.pk, override.pk])
    assert client.post(edit, form_data(kind=SensorKind.CO2, day_max="26")).status_code == 302
    override.refresh_from_db()
    assert (override.kind, override.day_max) == (TEMP, 26)
    client.post(reverse("iot:rule_delete", args=[farm.greenhouse.pk, override.pk]))
    assert not ThresholdOverride.objects.exists()
    assert rows(client.get(reverse("iot:rules", args=[farm.greenhouse.pk])))[TEMP]["origin_code"] == "default"


def test_a_cluster_override_applies_to_the_greenhouse(farm, client_for):
    client = client_for(farm.w.admin)
    url = reverse("iot:rule_new", args=[farm.greenhouse.pk]) + "?level=cluster"
    assert client.post(url, form_data(stage=GrowthStage.BLOOM)).status_code == 302
    override = ThresholdOverride.objects.get()
    assert (override.cluster, override.greenhouse, override.stage) == (farm.cluster, None, GrowthStage.BLOOM)
    assert rows(client.get(reverse("iot:rules", args=[farm.greenhouse.pk])))[TEMP]["origin_code"] == "cluster"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"day_min": "25", "day_max": "20"}, "day_max", "白天上限必须大于下限"),
        ({"night_min": "10", "night_max": "10"}, "night_max", "夜间上限必须大于下限"),
        ({"hysteresis": "5"}, "hysteresis", "回差必须小于白天上下限之差的一半"),
        ({"hysteresis": "-1"}, "hysteresis", "回差不能为负数"),
        (
            {"day_min": "", "day_max": "", "night_min": "", "night_max": ""},
            "day_min",
            "至少填写一个上限或下限",
        ),
        (
            {"kind": SensorKind.AIR_HUMIDITY, "day_min": "50", "day_max": "120"},
            "day_max",
            "超出该类传感器的可能范围",
        ),
        ({"critical_delta": "0"}, "critical_delta", "紧急偏差必须大于0"),
        ({"spike_per_minute": "-2"}, "spike_per_minute", "突变速率必须大于0"),
        ({"stuck_readings": "1"}, "stuck_readings", "卡滞条数至少为2"),
        ({"day_min": "abc"}, "day_min", "输入一个数字"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(farm, client_for, fields, field, message):
    url = reverse("iot:rule_new", args=[farm.greenhouse.pk]) + "?level=greenhouse"
    response = client_for(farm.w.admin).post(url, form_data(**fields))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ThresholdOverride.objects.exists()


def test_one_override_per_level_kind_and_stage(farm, client_for):
    ThresholdOverride.objects.create(greenhouse=farm.greenhouse, kind=TEMP, day_min=10, day_max=30)
    url = reverse("iot:rule_new", args=[farm.greenhouse.pk]) + "?level=greenhouse"
    response = client_for(farm.w.admin).post(url, form_data())
    assert response.status_code == 200
    assert "该层级已有" in str(response.context["form"].errors)
    assert ThresholdOverride.objects.count() == 1


def test_who_may_see_and_who_may_set(farm, client_for, supervisor):
    override = ThresholdOverride.objects.create(greenhouse=farm.greenhouse, kind=TEMP, day_min=10, day_max=30)
    village = client_for(supervisor)
    page = village.get(reverse("iot:rules", args=[farm.greenhouse.pk]))
    assert page.status_code == 200 and not page.context["can_greenhouse"] and not page.context["can_cluster"]
    assert reverse("iot:rule_new", args=[farm.greenhouse.pk]) not in page.content.decode()
    new = reverse("iot:rule_new", args=[farm.greenhouse.pk]) + "?level=greenhouse"
    assert village.get(new).status_code == 403
    assert village.post(new, form_data()).status_code == 403
    village.post(reverse("iot:rule_delete", args=[farm.greenhouse.pk, override.pk]))
    assert ThresholdOverride.objects.count() == 1
    outsider = client_for(farm.w.worker_a)
    assert outsider.get(reverse("iot:rules", args=[farm.greenhouse.pk])).status_code == 404
    assert client_for(farm.w.resident).get(reverse("iot:rules", args=[farm.greenhouse.pk])).status_code == 403
    # an override of another greenhouse cannot be reached through this one
    from minsheng.iot.models import Greenhouse

    other = Greenhouse.objects.create(name="李家棚", code="gh2", village=farm.village)
    foreign = ThresholdOverride.objects.create(greenhouse=other, kind=TEMP, day_min=1, day_max=2)
    admin = client_for(farm.w.admin)
    assert admin.get(reverse("iot:rule_edit", args=[farm.greenhouse.pk, foreign.pk])).status_code == 404
    assert (
        admin.get(reverse("iot:rule_new", args=[other.pk]) + "?level=cluster").status_code == 404
    )  # no cluster


def test_admin_lists_and_validates_overrides_and_combined_rules(farm, admin_client):
    assert admin_client.get("/admin/iot/thresholdoverride/").status_code == 200
    assert admin_client.get("/admin/iot/combinedrule/add/").status_code == 200
    response = admin_client.post(
        "/admin/iot/thresholdoverride/add/",
        {
            "greenhouse": farm.greenhouse.pk,
            "kind": TEMP,
            "stage": "",
            "day_min": "30",
            "day_max": "20",
            "severity": Severity.MAJOR,
            "duration_minutes": "0",
            "hysteresis": "0",
            "repeat_count": "0",
            "clear_minutes": "0",
            "stuck_readings": "0",
            "stuck_minutes": "0",
        },
    )
    assert response.status_code == 200 and "白天上限必须大于下限" in response.content.decode()
    assert not ThresholdOverride.objects.exists()


def combined_data(conditions, **fields):
    data = {
        "name": "高温高湿",
        "logic": "and",
        "severity": Severity.MAJOR,
        "duration_minutes": "0",
        "repeat_count": "0",
        "clear_minutes": "0",
        "is_active": "on",
        "cond-TOTAL_FORMS": "3",
        "cond-INITIAL_FORMS": "0",
        "cond-MIN_NUM_FORMS": "1",
        "cond-MAX_NUM_FORMS": "6",
    }
    for index in range(3):
        kind, comparison, value = conditions[index] if index < len(conditions) else ("", "", "")
        data |= {
            f"cond-{index}-kind": kind,
            f"cond-{index}-comparison": comparison,
            f"cond-{index}-value": value,
        }
    data.update(fields)
    return data


def test_combined_rules_are_set_on_the_page_and_drive_the_rules(farm, client_for):
    from minsheng.iot.choices import AlarmStatus, AlarmType
    from minsheng.iot.ingest import ingest
    from minsheng.iot.models import Alarm

    client = client_for(farm.w.admin)
    url = reverse("iot:combined_new", args=[farm.greenhouse.pk]) + "?level=cluster"
    assert client.get(url).status_code == 200
    saved = client.post(url, combined_data([(TEMP, "gt", "30"), (SensorKind.AIR_HUMIDITY, "gt", "80")]))
    assert saved.status_code == 302
    rule = CombinedRule.objects.get()
    assert (rule.cluster, rule.greenhouse, rule.logic) == (farm.cluster, None, "and")
    assert sorted(rule.conditions.values_list("kind", "comparison", "value")) == [
        (SensorKind.AIR_HUMIDITY, "gt", 80),
        (TEMP, "gt", 30),
    ]
    page = client.get(reverse("iot:rules", args=[farm.greenhouse.pk])).content.decode()
    assert "空气温度 &gt; 30 且 空气湿度 &gt; 80" in page
    # change to OR on humidity alone: the rules see it at once (the cached configuration was dropped)
    edit = reverse("iot:combined_edit", args=[farm.greenhouse.pk, rule.pk])
    assert client.get(edit).context["formset"].initial[0]["kind"] in (TEMP, SensorKind.AIR_HUMIDITY)
    client.post(edit, combined_data([(SensorKind.AIR_HUMIDITY, "gt", "80")], logic="or"))
    assert list(rule.conditions.values_list("kind", flat=True)) == [SensorKind.AIR_HUMIDITY]
    ingest({"sensor": farm.humidity.code, "ts": "2026-04-10T12:00:00+08:00", "value": 85})
    assert Alarm.objects.filter(type=AlarmType.COMBINED, status=AlarmStatus.ACTIVE).exists()
    client.post(reverse("iot:combined_delete", args=[farm.greenhouse.pk, rule.pk]))
    assert not CombinedRule.objects.exists()


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([], "至少填写一个条件"),
        ([(SensorKind.AIR_HUMIDITY, "gt", "120")], "超出该类传感器的可能范围"),
        ([(TEMP, "gt", "abc")], "输入一个数字"),
    ],
)
def test_combined_rule_bad_input_is_a_form_error(farm, client_for, conditions, message):
    url = reverse("iot:combined_new", args=[farm.greenhouse.pk]) + "?level=greenhouse"
    response = client_for(farm.w.admin).post(url, combined_data(conditions))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CombinedRule.objects.exists()


def test_combined_rules_need_the_right_to_configure(farm, client_for, supervisor):
    rule = CombinedRule.objects.create(name="高温", greenhouse=farm.greenhouse)
    CombinedCondition.objects.create(rule=rule, kind=TEMP, comparison="gt", value=30)
    village = client_for(supervisor)
    page = village.get(reverse("iot:rules", args=[farm.greenhouse.pk]))
    assert "高温" in page.content.decode() and not page.context["combined"][0]["can"]
    assert village.get(reverse("iot:combined_edit", args=[farm.greenhouse.pk, rule.pk])).status_code == 403
    village.post(reverse("iot:combined_delete", args=[farm.greenhouse.pk, rule.pk]))
    assert CombinedRule.objects.exists()
