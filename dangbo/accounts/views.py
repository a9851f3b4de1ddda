"""Login and logout."""

from django.contrib.auth import views as auth_views

from dangbo.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()
