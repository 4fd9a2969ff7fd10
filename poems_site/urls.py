from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tracker.forms.signin import SignInForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("tracker.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("tracker.urls")),
]
