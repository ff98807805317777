"""Each role's side menu is what its work needs (decision 0060, docs/roles.md): pinned per role as the demo creates
them, so a capability granted by the way — property staff once held org.view and saw every registry — shows here."""

import pytest
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.core import navigation
from minsheng.org.models import Resident

pytestmark = pytest.mark.django_db


def _words(text: str) -> list[str]:
    return text.split()


MENUS = {
    Role.STREET_ADMIN: _words("""
        core:home insights:efficiency?mine=1 insights:cockpit insights:metrics insights:report
        insights:efficiency cases:todo cases:create cases:map cases:metrics deliberation:meetings
        deliberation:series deliberation:my_round deliberation:campaigns deliberation:linked deliberation:teams
        deliberation:figures agri:field agri:dashboard agri:samples agri:follow_ups agri:tasks agri:campaigns
        agri:pass_rates agri:certificates agri:producers agri:stores agri:inspection_schedule agri:letters
        agri:publicity agri:waste agri:duty agri:io mediation:desk mediation:visits mediation:disputes
        mediation:petitions mediation:reception_days mediation:referrals mediation:weekly mediation:analysis
        mediation:figures enterprise:home enterprise:list enterprise:board enterprise:ledger enterprise:events
        iot:alarms iot:clusters iot:map iot:devices iot:preferences cluster:home cluster:growers cluster:organisations cluster:entry
        cluster:techniques cluster:sellers activities:events activities:event_create activities:volunteers
        activities:teams activities:records activities:market activities:dual activities:figures
        activities:places org:tree org:grid_list org:grid_map org:resident_list org:household_list
        org:party_list org:property_list org:assignment_list org_io:index notifications:inbox admin:index
    """),
    Role.STREET_LEADER: _words("""
        core:home insights:efficiency?mine=1 insights:cockpit insights:metrics insights:report
        insights:efficiency cases:todo cases:map cases:metrics deliberation:meetings deliberation:series
        deliberation:my_round deliberation:campaigns deliberation:linked deliberation:teams deliberation:figures
        agri:dashboard agri:samples agri:follow_ups agri:tasks agri:campaigns agri:pass_rates agri:certificates
        agri:producers agri:stores agri:inspection_schedule agri:letters agri:publicity agri:waste agri:duty
        agri:io mediation:visits mediation:disputes mediation:petitions mediation:reception_days
        mediation:referrals mediation:analysis mediation:figures enterprise:home enterprise:list
        enterprise:board enterprise:ledger enterprise:events iot:alarms iot:clusters iot:map iot:devices
        iot:preferences cluster:home cluster:growers cluster:organisations cluster:techniques cluster:sellers activities:events
        activities:volunteers activities:teams activities:records activities:market activities:dual
        activities:figures activities:places org:tree org:grid_list org:grid_map org:resident_list
        org:household_list org:party_list org:property_list org:assignment_list org_io:index notifications:inbox
    """),
    Role.STREET_CADRE: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map cases:metrics
        deliberation:meetings deliberation:series deliberation:my_round deliberation:campaigns
        deliberation:linked deliberation:teams deliberation:figures agri:field agri:dashboard agri:samples
        agri:follow_ups agri:tasks agri:campaigns agri:pass_rates agri:certificates agri:producers agri:stores
        agri:inspection_schedule agri:letters agri:publicity agri:waste agri:duty agri:io enterprise:home
        enterprise:list enterprise:board enterprise:ledger enterprise:events iot:alarms iot:clusters iot:map
        iot:devices iot:preferences cluster:home cluster:growers cluster:organisations cluster:entry cluster:techniques
        cluster:sellers activities:events activities:event_create activities:volunteers activities:teams
        activities:records activities:market activities:dual activities:figures activities:places org:tree
        org:grid_list org:grid_map org:resident_list org:household_list org:party_list org:property_list
        org:assignment_list org_io:index notifications:inbox
    """),
    Role.COMMUNITY_WORKER: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map cases:metrics
        deliberation:meetings deliberation:series deliberation:my_round deliberation:campaigns
        deliberation:linked deliberation:teams deliberation:figures mediation:visits mediation:disputes
        mediation:referrals mediation:weekly mediation:analysis mediation:figures iot:alarms iot:clusters
        iot:map iot:devices iot:preferences activities:events activities:event_create activities:volunteers
        activities:teams activities:records activities:market activities:dual activities:figures
        activities:places org:tree org:grid_list org:grid_map org:resident_list org:household_list
        org:party_list org:property_list org:assignment_list org_io:index notifications:inbox
    """),
    Role.GRID_WORKER: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map deliberation:meetings
        deliberation:my_round deliberation:linked deliberation:teams iot:alarms iot:clusters iot:map iot:devices
        iot:preferences activities:events activities:volunteers activities:teams activities:records
        activities:market activities:dual activities:places org:tree org:grid_list org:grid_map
        org:resident_list org:household_list org:party_list org:property_list org:assignment_list
        notifications:inbox
    """),
    Role.VILLAGE_SUPERVISOR: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map agri:field agri:dashboard
        agri:samples agri:follow_ups agri:tasks agri:campaigns agri:pass_rates agri:certificates agri:producers
        agri:stores agri:inspection_schedule agri:letters agri:publicity agri:waste agri:duty iot:alarms
        iot:clusters iot:map iot:devices iot:preferences cluster:home cluster:growers cluster:organisations cluster:entry
        cluster:techniques cluster:sellers notifications:inbox
    """),
    Role.ENTERPRISE_OFFICER: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map enterprise:home enterprise:list
        enterprise:board enterprise:ledger enterprise:events org:tree org:grid_list org:grid_map org:resident_list
        org:household_list org:party_list org:property_list org:assignment_list notifications:inbox
    """),
    Role.PROPERTY_STAFF: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:map deliberation:meetings deliberation:my_round
        deliberation:linked deliberation:teams notifications:inbox
    """),
    Role.MEDIATION_STAFF: _words("""
        core:home insights:efficiency?mine=1 cases:todo cases:create cases:map cases:metrics mediation:desk
        mediation:visits mediation:disputes mediation:petitions mediation:reception_days mediation:referrals
        mediation:weekly mediation:analysis mediation:figures org:tree org:grid_list org:grid_map
        org:resident_list org:household_list org:party_list org:property_list org:assignment_list
        notifications:inbox
    """),
}

#: Where each persona's membership is, in the test world (the demo puts them at the same kind of place).
PLACES = {
    Role.STREET_ADMIN: "street",
    Role.STREET_LEADER: "street",
    Role.STREET_CADRE: "street",
    Role.COMMUNITY_WORKER: "community_a",
    Role.GRID_WORKER: "community_a",
    Role.VILLAGE_SUPERVISOR: "community_b",
    Role.ENTERPRISE_OFFICER: "street",
    Role.PROPERTY_STAFF: "estate_a",
    Role.MEDIATION_STAFF: "street",
}


def persona(world, role):
    user = account_actions.create_user(username=f"p_{role}", display_name=f"{role}", password=None)
    account_actions.grant_membership(user=user, role=role, node=getattr(world, PLACES[role]))
    return user


def menu(user, path="/"):
    return [
        e["url_name"] + ("?mine=1" if "?" in e["url"] else "") for e in navigation.entries_for(user, path)
    ]


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_s_menu_is_pinned(world, role):
    assert menu(persona(world, role)) == MENUS[role]


def test_residents_have_no_workbench_menu(world):
    assert navigation.entries_for(world.resident, "/") == []


def test_every_staff_role_has_my_efficiency_and_it_shows_their_own_record(world, client_for):
    for role, names in MENUS.items():
        assert "insights:efficiency?mine=1" in names, role
    leader = persona(world, Role.STREET_LEADER)
    mine = f"{reverse('insights:efficiency')}?mine=1"
    lit = [e["label"] for e in navigation.entries_for(leader, mine) if e["active"]]
    assert [str(label) for label in lit] == ["我的效能"]
    lit = [e["label"] for e in navigation.entries_for(leader, reverse("insights:efficiency")) if e["active"]]
    assert [str(label) for label in lit] == ["效能通报"]
    page = client_for(leader).get(mine).content.decode()
    assert "<title>我的效能" in page or ">我的效能<" in page
    staff = persona(world, Role.PROPERTY_STAFF)
    assert client_for(staff).get(mine).status_code == 200


def test_the_alarm_settings_sit_with_the_greenhouses_not_the_cherry_cluster():
    entry = next(e for e in navigation._registry.values() if e.url_name == "iot:preferences")
    assert str(navigation.section_of(entry.order)) == "智慧大棚"


def test_property_staff_keep_their_cases_their_estate_and_their_meetings_but_no_registry(world, client_for):
    staff = persona(world, Role.PROPERTY_STAFF)
    client = client_for(staff)
    home = client.get("/").content.decode()
    assert "我的小区" in home and world.estate_a.name in home
    assert reverse("org:node_detail", args=[world.estate_a.pk]) in home
    estate = client.get(reverse("org:node_detail", args=[world.estate_a.pk]))
    assert estate.status_code == 200 and world.building_a.name in estate.content.decode()
    assert client.get(reverse("org:node_detail", args=[world.estate_b.pk])).status_code == 404
    assert client.get(reverse("cases:todo")).status_code == 200
    assert client.get(reverse("deliberation:meetings")).status_code == 200
    # The population registry is not theirs: its list shows them nobody.
    assert Resident.objects.visible_to(staff).count() == 0
    assert not staff.has_cap("org.view")


def test_a_supervisor_without_the_registries_still_finds_the_place_of_a_case(world, client_for):
    supervisor = persona(world, Role.VILLAGE_SUPERVISOR)
    assert not supervisor.has_cap("org.view")
    client = client_for(supervisor)
    found = client.get(reverse("org:pick_nodes"), {"q": world.estate_b.name, "cap": "cases.create"}).json()
    assert world.estate_b.name in str(found)
    elsewhere = client.get(
        reverse("org:pick_nodes"), {"q": world.estate_a.name, "cap": "cases.create"}
    ).json()
    assert world.estate_a.name not in str(elsewhere)  # still only within their own scope
