from django.conf import settings


def shell(request):
    """Values the base template needs on every page."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": "民生",
        "DEBUG": settings.DEBUG,
        "user_roles": user.role_labels() if user is not None and user.is_authenticated else [],
    }
