from django.urls import path

from dangbo.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.export, name="export"),
    path("new/<int:org_id>/", views.draft_create, name="draft_create"),
    path("received/new/<int:org_id>/", views.received_create, name="received_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/distribute/", views.distribute, name="distribute"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("numbers/<int:org_id>/", views.numbers_used, name="numbers_used"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/report/", views.task_report, name="task_report"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_create"),
    path("types/<int:type_id>/", views.type_edit, name="type_edit"),
]
