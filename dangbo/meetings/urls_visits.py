"""Routes for leaders' visits, triggers and statistics, joined into meetings/urls.py."""

from django.urls import path

from dangbo.meetings import views_visits as views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/end/", views.visit_end, name="visit_end"),
    path("visits/mine/", views.visit_mine, name="visit_mine"),
    path("visits/coverage/", views.visit_coverage, name="visit_coverage"),
    path("visits/meeting/<int:pk>/", views.visit_meeting, name="visit_meeting"),
    path("visits/meeting/<int:pk>/record/", views.visit_record, name="visit_record"),
    path("visits/meeting/<int:pk>/opinions/", views.opinion_create, name="opinion_create"),
    path("visits/opinions/", views.opinion_list, name="opinion_list"),
    path("triggers/", views.trigger_list, name="trigger_list"),
    path("triggers/refresh/", views.trigger_refresh, name="trigger_refresh"),
    path("triggers/<int:pk>/decide/", views.trigger_decide, name="trigger_decide"),
    path("stats/", views.stats_page, name="stats_page"),
]
