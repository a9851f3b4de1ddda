from django.urls import path

from dangbo.members import urls_io, urls_movements, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("me/", views.member_me, name="me"),
    path("stats/", views.member_statistics, name="statistics"),
    path("wards/", views.ward_options, name="ward_options"),
    path("corrections/", views.correction_list, name="corrections"),
    path("corrections/<int:correction_id>/decide/", views.correction_decide, name="correction_decide"),
    path("<int:member_id>/", views.member_detail, name="detail"),
    path("<int:member_id>/edit/", views.member_edit, name="edit"),
    path("<int:member_id>/status/record/", views.member_status, name="record_status"),
    path("<int:member_id>/corrections/new/", views.correction_request, name="correction_request"),
    path("<int:member_id>/<slug:tab>/", views.member_tab, name="tab"),
] + urls_io.urlpatterns + urls_movements.urlpatterns
