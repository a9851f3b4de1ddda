"""Routes of this part of the registry, joined into members/urls.py."""

from django.urls import path

from dangbo.members import views_movements as views

urlpatterns = [
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/letter/", views.transfer_letter, name="transfer_letter"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/end/", views.transfer_end, name="transfer_end"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("transfers/start/<int:member_id>/", views.transfer_start, name="transfer_start"),
    path("transfers/arrive/<int:cell_id>/", views.transfer_receive_outside, name="transfer_receive_outside"),
    path("residence/<int:cell_id>/", views.residence_cell, name="residence_cell"),
    path("residence/<int:cell_id>/meetings/new/", views.residence_meeting_create, name="residence_meeting_create"),
    path("residence/comments/", views.residence_comments, name="residence_comments"),
    path("residence/comments/<int:pk>/send/", views.residence_send, name="residence_send"),
    path("residence/link/<int:member_id>/", views.residence_link, name="residence_link"),
    path("residence/contacts/<int:pk>/end/", views.residence_end, name="residence_end"),
    path("residence/contacts/<int:pk>/comment/", views.residence_comment, name="residence_comment"),
    path("exemptions/", views.exemption_list, name="exemption_list"),
    path("exemptions/new/<int:member_id>/", views.exemption_request, name="exemption_request"),
    path("exemptions/<int:pk>/decide/", views.exemption_decide, name="exemption_decide"),
    path("exemptions/<int:pk>/inform/", views.exemption_inform, name="exemption_inform"),
]
