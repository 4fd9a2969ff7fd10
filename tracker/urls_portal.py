"""The patient portal (/me/...), the set-password and password-reset links, and the staff
pieces of the portal (invitations, shared results, review of patient reports)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tracker.accounts.reset import ThrottledPasswordResetView
from tracker.forms.portal import PatientPasswordResetForm
from tracker.views import portal, portal_staff

password_reset = ThrottledPasswordResetView.as_view(
    form_class=PatientPasswordResetForm,
    subject_template_name="tracker/portal/email_password_reset_subject.txt",
    success_url=reverse_lazy("password_reset_done"),
)

urlpatterns = [
    path("me/", portal.portal_home, name="portal_home"),
    path("me/report/", portal.portal_report, name="portal_report"),
    path("accounts/set-password/<uidb64>/<token>/", portal.PortalPasswordSetView.as_view(), name="password_set"),
    path("accounts/password-reset/", password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("patients/<int:pk>/portal/invite/", portal_staff.portal_invite_view, name="portal_invite"),
    path("patients/<int:pk>/portal/new-link/", portal_staff.portal_link_resend_view, name="portal_link_resend"),
    path("patients/<int:pk>/portal/results/", portal_staff.portal_release_view, name="portal_release"),
    path("symptoms/<int:pk>/reviewed/", portal_staff.symptom_mark_reviewed_view, name="symptom_mark_reviewed"),
    path("labs/<int:pk>/reviewed/", portal_staff.lab_mark_reviewed_view, name="lab_mark_reviewed"),
]
