from django.urls import path

from dangbo.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.overview, name="home"),
    path("classify/", views.classify, name="classify"),
    path("export/", views.export, name="export"),
    path("cells/<int:cell_id>/<int:year>/", views.sheet, name="sheet"),
    path("cells/<int:cell_id>/<int:year>/approve/", views.approve, name="approve"),
    path("rows/<int:pk>/", views.score, name="score"),
]
