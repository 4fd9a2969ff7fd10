"""CSV import pages."""

urlpatterns: list = []
