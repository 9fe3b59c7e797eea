"""What the district's IT watches: a health endpoint for the load balancer (can this machine serve:
its database), a full one for monitoring (replica, Redis, beat as well) and the Prometheus metrics
endpoint, which is not public."""

import dataclasses
import datetime
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from core.db_routing import REPLICA, replica_configured
from gridgov.tasks import HEARTBEAT_KEY


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    max_age: datetime.timedelta = dataclasses.field(
        default_factory=lambda: datetime.timedelta(minutes=settings.BEAT_HEARTBEAT_MAX_MINUTES), repr=False
    )

    def run(self) -> None:
        stamp = cache.get(HEARTBEAT_KEY)
        if stamp is None:
            raise ServiceUnavailable("no beat heartbeat yet")
        age = time.time() - stamp
        if age > self.max_age.total_seconds():
            raise ServiceUnavailable(f"the last beat heartbeat is {age / 60:.0f} minutes old")


class Health(HealthCheckView):
    """200 when every check passes; 503 naming the failed checks (django-health-check answers 500,
    which reads as the app's own failure).

    The load balancer's probe (`full=False`) asks only what this machine cannot serve a page
    without, the primary database: a dead beat or Redis is one fault for every machine alike, and
    taking them all out of the pool for it would turn a late reminder into an outage (pages work
    without Redis: sessions are in the database, the limits let reports through and log it). The
    full check, for monitoring, adds the replica, the cache and beat's heartbeat."""

    full = False

    def get_checks(self):
        checks = [("health_check.checks.Database", {"alias": "default"})]
        if self.full and replica_configured():
            checks.append(("health_check.checks.Database", {"alias": REPLICA}))
        if self.full and settings.REDIS_URL:  # the cache (the rate limits, the leases' neighbour) and beat
            checks += [("health_check.checks.Cache", {}), (BeatHeartbeat, {})]
        self.checks = checks
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response

    def render_to_response(self, context, **response_kwargs):
        """No HTML page (django-health-check's template is not installed, and was a 500): a browser
        or a load balancer asking for text/html or */* reads the same plain lines as text/plain."""
        return self.render_to_response_text(response_kwargs.get("status", 200))


def _may_read_metrics(request) -> bool:
    """A scraper on an allowed address talking to us directly (not through the proxy, whose own
    address may be allowed), or anyone with METRICS_TOKEN as a bearer token."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    direct = "HTTP_X_FORWARDED_FOR" not in request.META
    return direct and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_ADDRESSES


@require_GET
def metrics(request):
    if not _may_read_metrics(request):
        raise Http404
    return ExportToDjangoView(request)
