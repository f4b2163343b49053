"""Signing a request the way Slack does (v0, HMAC-SHA256 over `v0:timestamp:body`)."""

from __future__ import annotations

import hashlib
import hmac
import time


def slack_headers(body: str, content_type: str, secret: str, *, age: float = 0) -> dict[str, str]:
    stamp = str(int(time.time() - age))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
