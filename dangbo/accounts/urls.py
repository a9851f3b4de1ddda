from django.urls import path

from dangbo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_changed, name="password_changed"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:user_id>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:user_id>/member/", views.user_link_member, name="user_link_member"),
    path("grants/<int:grant_id>/end/", views.grant_end, name="grant_end"),
]
