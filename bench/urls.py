"""The app's URLs plus the reference endpoints the benchmarks compare against."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/hello/", views.hello),
    path("bench/raw-checkin/<int:meeting_id>/<int:member_id>/", views.raw_checkin),
    path("bench/lean-checkin/<str:token>/", views.lean_checkin),
    path("", include("config.urls")),
]
