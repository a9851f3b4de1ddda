"""Routes of this part of the registry, joined into members/urls.py."""

from django.urls import path

from dangbo.members import views_io

urlpatterns = [
    path("import/", views_io.import_upload, name="import_upload"),
    path("import/template.xlsx", views_io.import_template, name="import_template"),
    path("import/<slug:token>/", views_io.import_preview, name="import_preview"),
    path("import/<slug:token>/progress/", views_io.import_progress, name="import_progress"),
    path("import/<slug:token>/confirm/", views_io.import_confirm, name="import_confirm"),
    path("import/<slug:token>/cancel/", views_io.import_cancel, name="import_cancel"),
    path("export.xlsx", views_io.export_xlsx, name="export_xlsx"),
    path("roster.pdf", views_io.export_roster, name="export_roster"),
]
