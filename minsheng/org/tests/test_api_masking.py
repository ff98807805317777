"""Property companies' contact mobiles are masked like every other phone in the API (docs/api.md)."""

import pytest

from minsheng.org import actions
from minsheng.org.choices import PropertyStatus

pytestmark = pytest.mark.django_db


def test_property_company_contact_mobiles_are_masked_for_every_reader(world, api_for):
    company = actions.create_property_company(
        name="颐和物业", contact="王经理", phone="13911112222", actor=world.admin
    )
    for user in (world.admin, world.grid_a):
        rows = api_for(user).get("/api/v1/org/property-companies/").json()["results"]
        assert [r["phone"] for r in rows] == ["139****2222"]
        detail = api_for(user).get(f"/api/v1/org/property-companies/{company.pk}/").json()
        assert detail["phone"] == "139****2222"


def test_estate_property_answers_always_carry_company_name(world, api_for):
    company = actions.create_property_company(name="颐和物业", actor=world.admin)
    profile = actions.set_estate_property(
        world.estate_a, status=PropertyStatus.PROFESSIONAL, company=company, actor=world.admin
    )
    api = api_for(world.admin)
    response = api.patch(
        f"/api/v1/org/estate-properties/{profile.pk}/", {"status": PropertyStatus.SELF_MANAGED}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["company_name"] == "" and response.json()["company"] is None
