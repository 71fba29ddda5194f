"""Who may use the web chat: a browser on this machine, on this page, in this session.

The web chat has no sign-in: whoever can use it can act as any web-chat person, admins included.
So `serve` only runs it on a loopback address (`check_startup`), and every request must also come
*to* a loopback name (a DNS-rebinding page reaches 127.0.0.1 with `Host: attacker.example`) and,
for the JSON API, *from* this page: a same-origin `Origin` when one is sent, JSON bodies only (a
cross-site form can send `text/plain`, never `application/json` without CORS), and the session's
CSRF token, which the page carries and no other origin can read.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from yarl import URL

from adapters.loopback import is_loopback
from bot import texts

log = logging.getLogger(__name__)

API_PREFIX = "/api/web/"
SESSION_COOKIE = "tinysteps_session"
CSRF_HEADER = "X-CSRF-Token"
MAX_COOKIE_CHARS = 100

# No inline script or style anywhere on the page, so the policy can forbid both.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _same_origin(origin: str, host: str) -> bool:
    try:
        url = URL(origin)
    except ValueError:
        return False
    if url.scheme not in {"http", "https"} or url.host is None:
        return False
    return is_loopback(url.raw_authority) and url.raw_authority.lower() == host.lower()


def _refuse(status: int, reply: str) -> web.Response:
    return web.json_response({"error": reply}, status=status)


class WebGuard:
    """Issues each browser session its CSRF token and checks every web-chat request."""

    def __init__(self, key: bytes | None = None) -> None:
        # A key per process: a restart makes the page ask for a reload, which is fine locally.
        self._key = key or secrets.token_bytes(32)

    def token_for(self, session: str) -> str:
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest()

    def session_of(self, request: web.Request) -> str | None:
        session = request.cookies.get(SESSION_COOKIE)
        if session and len(session) <= MAX_COOKIE_CHARS:
            return session
        return None

    def start_session(self, request: web.Request, response: web.StreamResponse) -> str:
        """The CSRF token for this browser, setting a session cookie when it has none yet."""
        session = self.session_of(request)
        if session is None:
            session = secrets.token_urlsafe(32)
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="Strict", path="/")
        return self.token_for(session)

    def refusal(self, request: web.Request) -> web.Response | None:
        """Why this request may not use the web chat, or None when it may."""
        if not is_loopback(request.host):
            return _refuse(403, texts.WEB_NOT_LOCAL)
        if not request.path.startswith(API_PREFIX):
            return None
        origin = request.headers.get("Origin")
        if origin is not None and not _same_origin(origin, request.host):
            return _refuse(403, texts.WEB_OTHER_ORIGIN)
        if request.method not in {"GET", "HEAD"} and request.content_type != "application/json":
            return _refuse(415, texts.WEB_JSON_ONLY)
        session = self.session_of(request)
        sent = request.headers.get(CSRF_HEADER, "")
        if session is None or not hmac.compare_digest(
            sent.encode(), self.token_for(session).encode()
        ):
            return _refuse(403, texts.WEB_RELOAD)
        return None

    def middleware(self, paths: tuple[str, ...]) -> Middleware:
        """An aiohttp middleware that guards the web chat's own paths and leaves the rest alone."""

        @web.middleware
        async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path != "/" and not request.path.startswith(paths):
                return await handler(request)
            refused = self.refusal(request)
            try:
                response = refused if refused is not None else await handler(request)
            except web.HTTPException as error:
                self._secure(request, error)
                raise
            except Exception:  # the page shows this; the transaction was rolled back
                log.exception("a web chat request failed")
                response = _refuse(500, texts.SOMETHING_WENT_WRONG)
            self._secure(request, response)
            return response

        return guard

    @staticmethod
    def _secure(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(SECURITY_HEADERS)
        if request.path.startswith(API_PREFIX):
            response.headers["Cache-Control"] = "no-store"
