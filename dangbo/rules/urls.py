from django.urls import path

from dangbo.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("<str:key>/override/", views.override, name="override"),
]
