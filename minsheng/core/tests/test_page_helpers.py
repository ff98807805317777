"""The helpers every app's pages share: one page of rows, a badge's class, an action's refusal on its form."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from minsheng.core.badges import BadgeOf, Colour, badge_class
from minsheng.core.forms import apply_action_errors
from minsheng.core.pagination import PAGE_SIZE, paginate
from minsheng.core.permissions import require_cap


@pytest.mark.parametrize("page", ["", "2", "x", "999"])
def test_a_bad_page_number_falls_back_to_a_page(page):
    request = RequestFactory().get("/", {"page": page})
    shown = paginate(request, list(range(PAGE_SIZE + 5)))
    assert shown.number in (1, 2)
    assert len(paginate(request, list(range(3)), per_page=2).object_list) in (1, 2)


def test_badge_class_falls_back_to_the_default_or_to_none():
    colours = {"ok": Colour.GREEN}
    assert badge_class(colours, "ok") == "badge-green"
    assert badge_class(colours, "other") == "badge-gray"
    assert badge_class(colours, "other", default=None) == ""


class _Row:
    status_badge = BadgeOf("status", {"ok": Colour.GREEN}, default=Colour.ORANGE)

    def __init__(self, status: str) -> None:
        self.status = status


def test_a_model_offers_the_badge_of_its_field_to_templates():
    assert _Row("ok").status_badge == "badge-green"
    assert _Row("waiting").status_badge == "badge-orange"


class _Form(forms.Form):
    name = forms.CharField()


def test_action_errors_land_beside_their_field_or_on_top():
    form = _Form({"name": "x"})
    form.is_valid()
    apply_action_errors(form, ValidationError({"name": "太短", "elsewhere": "别处"}))
    assert form.errors["name"] == ["太短"]
    assert "别处" in form.non_field_errors()
    denied = _Form({"name": "x"})
    denied.is_valid()
    apply_action_errors(denied, PermissionDenied())
    assert denied.non_field_errors()


def test_require_cap_lets_the_system_through_and_stops_a_user_without_the_right(world):
    require_cap(None, "org.change")
    require_cap(world.worker_a, "org.change", world.unit_a)
    with pytest.raises(PermissionDenied):
        require_cap(world.resident, "org.change", world.unit_a)
