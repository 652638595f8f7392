import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .addresses import client_ip, current_client_ip

# Only the application's own files: no inline script or style, no other origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Bootstrap's stylesheet draws its icons (menu, select arrow) as data: SVG images.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class ClientAddressMiddleware:
    """Sets request.client_ip and makes it available to audit records of this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = current_client_ip.set(request.client_ip)
        try:
            return self.get_response(request)
        finally:
            current_client_ip.reset(token)


ACTIVITY_KEY = "last_activity"
# Renewing the session costs a write; once a minute keeps the expiry sliding closely enough.
RENEW_AFTER_SECONDS = 60


def mark_activity(session) -> None:
    session[ACTIVITY_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Ends a logged-in session after SESSION_COOKIE_AGE seconds without a request.

    Each request at least a minute after the last recorded one renews the session, which
    also pushes the stored session's expiry forward: the timeout slides with activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(ACTIVITY_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_COOKIE_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, int) or now - last >= RENEW_AFTER_SECONDS:
                request.session[ACTIVITY_KEY] = now
        return self.get_response(request)
