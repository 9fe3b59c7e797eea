from django.urls import path, register_converter
from rest_framework.urlpatterns import format_suffix_patterns

from cases.open311 import views

app_name = "open311"


class Name:
    """An id, code or token up to its format suffix: anything but a slash or a dot, so that a
    malformed one reaches its view and answers the specification's 404, never the router's."""

    regex = r"[^/.]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Name, "open311")

# GeoReport v2 names every resource with its format, `services.json` or `services.xml`; without
# one the answer is JSON.
urlpatterns = format_suffix_patterns(
    [
        path("discovery", views.Discovery.as_view(), name="discovery"),
        path("services", views.Services.as_view(), name="services"),
        path("services/<open311:code>", views.ServiceDefinition.as_view(), name="service"),
        path("requests", views.Requests.as_view(), name="requests"),
        path("requests/<open311:number>", views.RequestDetail.as_view(), name="request"),
        path("tokens/<open311:token>", views.Token.as_view(), name="token"),
    ],
    allowed=["json", "xml"],
)
