"""Every configuration page of the admin opens (in Chinese) for a street administrator's superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_add_page_opens(world, client, rf):
    from minsheng.accounts.models import User

    root = User.objects.create_superuser("root", password="Root-pass-2026")
    client.force_login(root)
    request = rf.get("/")
    request.user = root
    assert "系统配置" in client.get(reverse("admin:index")).content.decode()
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        response = client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        assert response.status_code == 200, info
        if model_admin.has_add_permission(request):
            assert client.get(reverse(f"admin:{info[0]}_{info[1]}_add")).status_code == 200, info


def test_the_org_tree_is_read_only_in_the_admin(world, client):
    """A node moved or added here would skip what org.actions rewrite (full names, stored scopes, case prefixes):
    the admin lists and shows nodes and changes none."""
    from minsheng.accounts.models import User
    from minsheng.org.models import Node

    client.force_login(User.objects.create_superuser("root", password="Root-pass-2026"))
    node = Node.objects.exclude(depth=1).first()
    path, name = node.path, node.name
    assert client.get(reverse("admin:org_node_changelist")).status_code == 200
    assert client.get(reverse("admin:org_node_add")).status_code == 403
    page = client.get(reverse("admin:org_node_change", args=[node.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    posted = client.post(
        reverse("admin:org_node_change", args=[node.pk]), {"name": "改名", "_ref_node_id": ""}
    )
    assert posted.status_code == 403
    assert client.post(reverse("admin:org_node_delete", args=[node.pk]), {"post": "yes"}).status_code == 403
    node.refresh_from_db()
    assert (node.path, node.name) == (path, name)
