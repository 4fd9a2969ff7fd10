"""Chart pages: cohort view, printable summary."""

urlpatterns: list = []
