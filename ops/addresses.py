"""The address a request came from, believing X-Forwarded-For only from our own proxies."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

# The address of the request being handled, for records written deep inside services.
current_client_ip: ContextVar[str | None] = ContextVar("current_client_ip", default=None)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the first untrusted hop of X-Forwarded-For when a trusted proxy sent it.

    Walking X-Forwarded-For from the right stops at the first address that is not one of
    TRUSTED_PROXIES: everything left of it could have been written by the client.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _valid(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote
