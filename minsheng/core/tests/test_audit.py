"""The generic audit log: who changed what, when, in which request — with secrets never copied."""

import pytest

from minsheng.core.audit import history_for, masked_changes
from minsheng.core.context import acting
from minsheng.core.models import AuditLog, WebhookEndpoint
from minsheng.org import actions
from minsheng.org.models import Resident

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_actor_and_request(world):
    with acting(world.worker_a, request_id="req-123"):
        person = actions.register_resident(
            name="张三", node=world.unit_a, phone="13912345678", actor=world.worker_a
        )
        actions.update_resident(person, phone="13700000000", actor=world.worker_a)
    entries = list(history_for(person).order_by("pk"))
    assert [e.action for e in entries] == [AuditLog.Action.CREATE, AuditLog.Action.UPDATE]
    update = entries[1]
    assert update.user == world.worker_a and update.request_id == "req-123"
    assert update.changes["phone"] == ["13912345678", "13700000000"]
    assert masked_changes(update, Resident, can_see_pii=False)["phone"] == ["139****5678", "137****0000"]
    pk = person.pk
    person.delete()
    assert AuditLog.objects.filter(object_id=str(pk), action=AuditLog.Action.DELETE).count() == 1


def test_web_requests_carry_the_user_and_echo_the_request_id(world, client_for):
    client = client_for(world.admin)
    response = client.get("/", HTTP_X_REQUEST_ID="abc-42")
    assert response["X-Request-ID"] == "abc-42"


def test_secret_fields_are_fingerprinted_not_copied():
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=very-secret-key"
    endpoint = WebhookEndpoint.objects.create(name="值班群", url=url, kind="wecom")
    endpoint.url = url.replace("very", "other")
    endpoint.save()
    entries = list(history_for(endpoint).order_by("pk"))
    flat = str([e.changes for e in entries])
    assert "secret-key" not in flat
    before, after = entries[1].changes["url"]
    assert before.startswith("sha256:") and before != after


def test_in_place_changes_to_json_fields_are_still_seen(world):
    node = world.community_a
    node.refresh_from_db()
    node.geometry["coordinates"][0][0] = [118.499, 36.5]
    node.geometry["coordinates"][0][-1] = [118.499, 36.5]
    node.save(update_fields=["geometry"])
    entry = history_for(node).first()
    assert entry.action == AuditLog.Action.UPDATE and "geometry" in entry.changes


def test_updates_need_no_extra_read(world, django_assert_num_queries):
    person = actions.register_resident(name="张三", node=world.unit_a, phone="13912345678")
    person = Resident.objects.get(pk=person.pk)
    person.note = "独居老人"
    with django_assert_num_queries(2):  # the UPDATE and the audit row — no SELECT of the old values
        person.save(update_fields=["note"])
