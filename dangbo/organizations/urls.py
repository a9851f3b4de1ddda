from django.urls import path

from dangbo.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:org_id>/", views.detail, name="detail"),
    path("<int:org_id>/children/", views.children, name="children"),
    path("<int:org_id>/history/", views.history, name="history"),
    path("<int:org_id>/create/", views.create, name="create"),
    path("<int:org_id>/rename/", views.rename, name="rename"),
    path("<int:org_id>/move/", views.move, name="move"),
    path("<int:org_id>/merge/", views.merge, name="merge"),
    path("<int:org_id>/close/", views.close, name="close"),
    path("<int:org_id>/terms/new/", views.term_create, name="term_create"),
    path("<int:org_id>/groups/new/", views.group_edit, name="group_create"),
    path("<int:org_id>/groups/<int:group_id>/", views.group_edit, name="group_edit"),
]
