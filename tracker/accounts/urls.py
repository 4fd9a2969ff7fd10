"""Pages of the accounts capability: the second factor and the invitation link (under
/accounts/, reachable before a second factor is verified) and clinic administration."""

from django.urls import path

from tracker.accounts import views_2fa, views_manage

urlpatterns = [
    path("accounts/two-factor/", views_2fa.otp_verify, name="otp_verify"),
    path("accounts/two-factor/setup/", views_2fa.otp_setup, name="otp_setup"),
    path("accounts/invite/<str:token>/", views_manage.staff_invite_accept_view, name="staff_invite_accept"),
    path("manage/", views_manage.manage_home, name="manage_home"),
    path("manage/clinics/new/", views_manage.clinic_create_view, name="manage_clinic_create"),
    path("manage/invites/new/", views_manage.invite_create_view, name="manage_invite_create"),
    path(
        "manage/users/<int:pk>/<slug:action>/",
        views_manage.user_action_view,
        name="manage_user_action",
    ),
]
