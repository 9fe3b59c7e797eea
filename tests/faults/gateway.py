"""A notification gateway on loopback for the fault tests: a real HTTP server in a thread."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """Accepts a message by answering 200 and records it with its Idempotency-Key.

    With `hold_first`, the first request is held unanswered until `release` is set, and then
    dropped without an answer: a gateway that never accepted it (the sender was killed meanwhile).
    With `slow_first`, the first is held until `release` and then accepted (a slow provider).
    With `refuse_first`, that many requests are answered 500 (a provider's outage) and not kept."""

    def __init__(self, *, hold_first: bool = False, slow_first: bool = False, refuse_first: int = 0):
        self.accepted: list[tuple[str, dict]] = []
        self.holding = threading.Event()
        self.release = threading.Event()
        gateway = self
        held = [not (hold_first or slow_first)]
        refusals = [refuse_first]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                with lock:
                    hold, held[0] = not held[0], True
                if hold:
                    gateway.holding.set()
                    gateway.release.wait(60)
                    if not slow_first:
                        self.close_connection = True
                        return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    refuse, refusals[0] = refusals[0] > 0, refusals[0] - 1
                if refuse:
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                with lock:
                    gateway.accepted.append((self.headers["Idempotency-Key"], body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/notify"

    def __enter__(self) -> "Gateway":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def keys(self) -> list[str]:
        return sorted(key for key, _body in self.accepted)
