"""Security headers, request-size limits, proxy headers and the log of refused requests: one
ASGI middleware, outermost, so that every answer (kept answers and errors too) goes through it.

* **Headers** on every response: a Content-Security-Policy allowing scripts, styles, images and
  fonts from this server only (no inline script; :data:`CSP`), ``frame-ancestors 'none'`` (and
  ``X-Frame-Options: DENY`` for old browsers), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: same-origin``; ``Cache-Control: no-store`` on every answer to a request
  that carries a credential (session cookie or bearer token) and on the login page;
  ``Strict-Transport-Security`` when the request came over HTTPS.
* **Proxy**: with ``SCIDIP_TRUST_PROXY=1`` the scheme and client address are taken from the
  ``X-Forwarded-Proto`` and ``X-Forwarded-For`` headers (their last value: what the proxy in
  front wrote), so that cookies are Secure, HSTS is sent and the throttle counts the real
  address. Without it those headers are ignored (anyone could send them).
* **Size**: a request body over ``SCIDIP_MAX_BODY_BYTES`` is refused with 413 before it is read
  (its Content-Length says so) or as soon as the bytes received pass the limit (a body sent in
  chunks, without a length); the route never sees it.
* **Log**: every 401 and 403 is logged (``scidip.security``) with the method, path and source
  address; failed and throttled logins are logged by :mod:`scidip.auth.service`.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("scidip.security")

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",  # style="" attributes only; no <style>, no script
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""The Content-Security-Policy of every answer."""

HSTS = "max-age=31536000; includeSubDomains"
STATIC = "/static/"
NO_STORE_PATHS = ("/login",)


COMMON: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
"""The headers of every answer."""
NO_STORE = (b"cache-control", b"no-store")
HSTS_HEADER = (b"strict-transport-security", HSTS.encode())


def _last(value: bytes | None) -> str:
    return (value or b"").decode("latin-1").split(",")[-1].strip()


def source_address(scope: Scope) -> str:
    """The client's address as the app sees it (after :class:`Security`'s proxy handling)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


class Security:
    """ASGI middleware: headers, proxy handling, body-size limit, refusal log (module doc)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, trust_proxy: bool) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.trust_proxy = trust_proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw: dict[bytes, bytes] = dict(scope["headers"])  # names come lower-cased
        if self.trust_proxy:
            scope = dict(scope)
            proto = _last(raw.get(b"x-forwarded-proto")).lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
            forwarded = _last(raw.get(b"x-forwarded-for"))
            if forwarded:
                scope["client"] = (forwarded, 0)
        length = raw.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await self._too_large(scope, send)
            return
        path: str = scope["path"]
        credential = b"authorization" in raw or b"scidip_session=" in raw.get(b"cookie", b"")
        no_store = not path.startswith(STATIC) and (credential or path in NO_STORE_PATHS)
        extra = COMMON + ((NO_STORE,) if no_store else ())
        if scope.get("scheme") == "https":
            extra += (HSTS_HEADER,)
        state = {"received": 0, "refused": False, "started": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body_bytes:
                    state["refused"] = True
                    if not state["started"]:
                        await self._too_large(scope, send)
                        state["started"] = True
                    return {"type": "http.disconnect"}
            return message

        async def secured_send(message: Message) -> None:
            if state["refused"]:
                return  # the 413 went out: the app's own answer is dropped
            if message["type"] == "http.response.start":
                state["started"] = True
                sent = list(message.get("headers", []))
                if no_store:  # a credential's answer is never stored, whatever the route said
                    sent = [(n, v) for n, v in sent if n.lower() != b"cache-control"]
                names = {n.lower() for n, _ in sent}
                message = {**message, "headers": sent + [h for h in extra if h[0] not in names]}
                status = message["status"]
                if status in (401, 403):
                    log.warning(
                        "refused %s: %s %s from %s",
                        status,
                        scope["method"],
                        path,
                        source_address(scope),
                    )
            await send(message)

        # A body with a Content-Length within the limit is cut there by the server; only one
        # without (sent in chunks) is counted as it comes.
        limited = receive if length is not None else limited_receive
        await self.app(scope, limited, secured_send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        limit = self.max_body_bytes
        message = f"the request body is larger than the limit of {limit:,} bytes"
        log.warning(
            "refused 413: %s %s from %s", scope["method"], scope["path"], source_address(scope)
        )
        accept = dict(scope["headers"]).get(b"accept", b"")
        if scope["path"].startswith("/api/") or b"json" in accept:
            body = json.dumps({"detail": message}).encode()
            kind = b"application/json"
        else:
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8><title>Too large</title>"
                f"<h1>Too large</h1><p>{message}: shorten it and try again.</p></html>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    *COMMON,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
