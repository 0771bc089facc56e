"""Password logins for the API; the pages use Django's login views. Both go through django-axes."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in

from myApp.accounts.lockout import LoginLockedOut, is_locked_out, lockout_seconds
from myApp.accounts.models import User
from myApp.lib.exceptions import ServiceError

BAD_CREDENTIALS = "Unable to log in with provided credentials."


def login_with_password(*, request, username: str, password: str) -> User:
    """Check a username and password through the authentication backends (axes first).

    Raises ``LoginLockedOut`` when this username + address is locked out (even with the right
    password), otherwise a field error for wrong credentials or an inactive account.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if is_locked_out(request):
            raise LoginLockedOut(lockout_seconds(request, username))
        raise ServiceError(BAD_CREDENTIALS, errors={"non_field_errors": [BAD_CREDENTIALS]})
    # What django.contrib.auth.login() sends for the pages: axes clears this username + address's
    # failures, and Django records last_login.
    user_logged_in.send(sender=type(user), request=request, user=user)
    return user
