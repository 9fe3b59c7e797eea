"""Two writers on two connections, the second started while the first's transaction is still open."""

import threading

from django.db import connections, transaction


def second_waits_on_first(first, second) -> tuple[list[BaseException], bool]:
    """Runs `first()` in a transaction held open until `second()`, in another thread, has had time
    to block on what the first holds; then lets the first commit. Returns what either raised (a
    thread's exception is otherwise lost) and whether the second was still waiting when the first
    was let go."""
    holding, release = threading.Event(), threading.Event()
    errors = []

    def run_first():
        try:
            with transaction.atomic():
                first()
                holding.set()  # written, not yet committed
                release.wait(30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            holding.set()
            connections.close_all()

    def run_second():
        try:
            holding.wait(30)
            second()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    holding.wait(30)
    threads[1].join(0.5)  # time for the second to reach what the first holds
    waited = threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join(30)
    return errors, waited
