"""What counts as this machine: the one rule for loopback-only surfaces (web chat, Teams local)."""

from __future__ import annotations

import ipaddress

from yarl import URL

LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def is_loopback(host: str | None) -> bool:
    """True for `localhost`, `127.x.x.x` and `::1`: a bind address or a `Host` header's value
    (`127.0.0.1:3000`, `[::1]:3000`)."""
    if not host:
        return False
    name: str | None = host
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        name = URL(f"http://{host}").host
    except ValueError:
        return False
    if name is None:
        return False
    if name.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
