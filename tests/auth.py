from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackendAllowingTestClientLogin(AxesStandaloneBackend, ModelBackend):
    """django-axes' lockout check followed by Django's user model, as the production backends
    do one after the other, except that a login without a request (the test client's login())
    skips the lockout check, which would refuse it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:  # raises PermissionDenied while locked out
            AxesStandaloneBackend.authenticate(self, request, username, password, **kwargs)
        return ModelBackend.authenticate(self, request, username, password, **kwargs)
