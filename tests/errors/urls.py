"""The product's routes plus two that fail on purpose: a refusal and a crash."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from gridgov.urls import handler500  # noqa: F401  (Django reads handler500 here)
from gridgov.urls import urlpatterns as product


def refused(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-refused/", refused), path("test-crash/", crash), *product]
