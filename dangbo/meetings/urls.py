from django.urls import path

from dangbo.meetings import urls_visits, views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("plan/<int:org_id>/generate/", views.plan_generate, name="plan_generate"),
    path("new/<int:org_id>/", views.meeting_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/drafters/", views.drafters, name="drafters"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/notify/", views.notify, name="notify"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_id>/", views.material, name="material"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/open/", views.roster_open, name="roster_open"),
    path("<int:pk>/attendance/<int:member_id>/", views.mark, name="mark"),
    path("<int:pk>/qr.svg", views.qr, name="qr"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/add/", views.item_add, name="item_add"),
    path("<int:pk>/agenda/<int:item_id>/speech/", views.speech_add, name="speech_add"),
    path("<int:pk>/agenda/<int:item_id>/conclusion/", views.conclusion, name="conclusion"),
    path("<int:pk>/agenda/<int:item_id>/vote/", views.vote_add, name="vote_add"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes/save/", views.minutes_save, name="minutes_save"),
    path("<int:pk>/minutes/lock/", views.minutes_lock, name="minutes_lock"),
    path("<int:pk>/minutes/correct/", views.minutes_correct, name="minutes_correct"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/resolution/", views.resolution_issue, name="resolution_issue"),
] + urls_visits.urlpatterns
