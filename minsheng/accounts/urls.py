from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    # POST only (Django's LogoutView refuses GET): a link cannot sign anyone out behind their back.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
