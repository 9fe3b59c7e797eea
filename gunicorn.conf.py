"""Gunicorn's settings, read from the working directory (`uv run gunicorn gridgov.wsgi`).

Flags on the command line win over these (`--bind 0.0.0.0:8000`, `--workers 8`).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, not one request per process: a request waiting on a row lock (two officers signing
# one case) or on a slow disk holds a thread, not the whole worker, and the worker keeps telling
# the arbiter it is alive, so it is not killed mid-request and its client never sees a reset.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Seconds a worker may stay silent before the arbiter restarts it; with threads it stays silent
# only when the process itself is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Longer than any client or proxy keeps an idle connection (nginx's upstream keepalive_timeout is
# 60 s): whoever holds an idle connection must be the one to close it, or a request sent just as the
# server closes it meets a reset (the one failure of the first 100-user load run).
keepalive = 75

# Gunicorn's access log is outside Django's LOGGING, so the filter that masks ID and phone
# numbers never sees it: it therefore carries the path without its query string (%(U)s, not
# %(r)s) and no Referer (which holds the previous page's query). The request id is the one
# RequestContextMiddleware answers with, so a line matches the audit rows of its request.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'


def post_worker_init(worker):
    """Once the worker has loaded the app (and its views, through the URLconf): move everything
    alive to the collector's permanent generation. A full collection otherwise walks those
    230,000 objects every few dozen requests: 3.3 ms a request on the case list, 0.5 frozen."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view module now, not on the first request)
    gc.collect()
    gc.freeze()
