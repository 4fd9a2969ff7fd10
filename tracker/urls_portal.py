"""The patient portal (/me/...) and staff invitations."""

from django.urls import path

from tracker.views import portal

urlpatterns = [
    path("me/", portal.portal_home, name="portal_home"),
]
