"""gridgov.urls and the bare view: the same middleware, no template, no database."""

from django.http import HttpResponse
from django.urls import path

from gridgov.urls import handler500, urlpatterns

BARE = "/bench/bare/"


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(BARE.strip("/") + "/", bare, name="bench-bare"), *urlpatterns]
__all__ = ["handler500", "urlpatterns"]
