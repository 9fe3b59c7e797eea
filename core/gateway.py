"""Hands a message to an HTTP gateway (an SMS or WeChat relay): one POST of JSON, bounded in time.

The caller holds the message's claim open while this runs, so a 2xx is the only success; any
other answer or no answer raises ConnectionError and the claim rolls back for a later try. The
Idempotency-Key lets the gateway drop a copy: a worker killed between the gateway's answer and
its own commit sends the message again."""

import json
import urllib.error
import urllib.request


def post(url: str, payload: dict, *, idempotency_key: str, timeout: float) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting, http(s) only
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": idempotency_key},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, OSError) as exc:  # HTTPError (non-2xx) is a URLError too
        raise ConnectionError(f"notification gateway: {exc}") from exc
