from django.urls import path

from dangbo.admissions import views

app_name = "admissions"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("deadlines/", views.deadline_board, name="deadlines"),
    path("stats/", views.statistics, name="statistics"),
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("courses/", views.course_list, name="courses"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/do/<slug:verb>/", views.candidate_act, name="act"),
    path("<int:pk>/introducers/<int:introducer_id>/end/", views.introducer_end, name="introducer_end"),
    path("<int:pk>/<slug:tab>/", views.candidate_detail, name="tab"),
]
