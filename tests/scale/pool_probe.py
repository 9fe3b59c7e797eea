"""Run by test_pool.py in a process of its own, with DATABASE_POOL_MAX_SIZE set: signs the given
users in and has them work at once, from more threads than the pool has connections, then prints
what every request answered and what the pool saw, as JSON."""

import json
import os
import sys
import threading
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402
from django.urls import reverse  # noqa: E402

from cases.models import Category  # noqa: E402
from tests.sign_in import force_login_verified  # noqa: E402

THREADS, ROUNDS = 6, 3


def request(method, *args) -> int:
    """One request, ended as the WSGI handler ends it (the test client leaves that out): the
    connection goes back to the pool."""
    close_old_connections()
    try:
        return method(*args).status_code
    finally:
        close_old_connections()


def work(user_pk: int, building_pk: int, statuses: list, errors: list) -> None:
    try:
        client = Client()
        force_login_verified(client, User.objects.get(pk=user_pk))
        category = Category.objects.get(code="safety-fire").pk
        for _ in range(ROUNDS):
            statuses.append(request(client.get, reverse("cases:dashboard")))
            statuses.append(request(client.get, reverse("cases:list")))
            report = {
                "submission_key": str(uuid.uuid4()),
                "area": building_pk,
                "category": category,
                "description": "消防通道被堵",
                "source": "grid_patrol",
            }
            statuses.append(request(client.post, reverse("cases:new"), report))
    except Exception as error:  # reported to the test, which fails naming it
        errors.append(repr(error))
    finally:
        connection.close()  # gives this thread's connection back to the pool


def main(user_pk: int, building_pk: int) -> None:
    statuses: list[int] = []
    errors: list[str] = []
    # A WSGI server builds its middleware once, before it serves; each thread's test client builds
    # its own, and the metrics middleware registers its counters the first time: done here first,
    # so threads building at once do not register them twice.
    ClientHandler().load_middleware()
    threads = [threading.Thread(target=work, args=(user_pk, building_pk, statuses, errors)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = connection.pool.get_stats()
    print(
        json.dumps(
            {"errors": errors, "statuses": statuses, "pool_max": stats["pool_max"], "pool_size": stats["pool_size"]}
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
