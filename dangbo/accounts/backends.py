"""Log in with a username or a phone number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from dangbo.accounts.models import normalize_phone


class UsernameOrPhoneBackend(ModelBackend):
    """Members on phones remember their number better than a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            phone = normalize_phone(username)
            if len(phone) >= 10:
                user = User.objects.filter(phone=phone).first()
        if user is None:
            # Run the hasher anyway so timing does not reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
