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
