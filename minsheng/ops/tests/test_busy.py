"""A database too busy to answer (SQLite's lock timed out) gives 503 with Retry-After, not 500."""

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def locked(request):
    raise OperationalError("database is locked")


def broken(request):
    raise OperationalError("no such table: nowhere")


def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("api/v1/locked/", locked),
    path("locked/", locked),
    path("broken/", broken),
    path("fine/", fine),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_locked_database_answers_503_with_retry_after_in_the_api_and_the_pages():
    client = Client(raise_request_exception=False)
    api = client.get("/api/v1/locked/")
    assert (api.status_code, api["Retry-After"], api.json()["code"]) == (503, "2", "busy")
    page = client.get("/locked/")
    assert page.status_code == 503 and "稍后重试" in page.content.decode()
    assert client.get("/broken/").status_code == 500  # other database errors stay errors
    assert client.get("/fine/").status_code == 200
