"""URL map: one include per capability."""

from django.urls import include, path

from dangbo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("dangbo.accounts.urls")),
    path("organizations/", include("dangbo.organizations.urls")),
    path("rules/", include("dangbo.rules.urls")),
    path("members/", include("dangbo.members.urls")),
    path("documents/", include("dangbo.documents.urls")),
    path("meetings/", include("dangbo.meetings.urls")),
    path("admissions/", include("dangbo.admissions.urls")),
    path("evaluations/", include("dangbo.evaluations.urls")),
]
