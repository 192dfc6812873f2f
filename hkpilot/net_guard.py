"""The network guard: a Python audit hook that lets sockets reach only what HKPilot was pointed at.

Every ``socket.connect``, ``socket.getaddrinfo``, ``sendto``/``sendmsg`` and host lookup
made by Python code in this process is checked. Always allowed: loopback and local
sockets (AF_UNIX). In mode ``server`` (the default) also allowed: the hosts that
HKPilot's own HTTP client was given (the configured server and its proxy, registered
by ``engines/http_client.build_client``) and the update address the policy names. In
mode ``none`` (policy ``network = "none"``) nothing else, and even registering a
non-loopback server is refused. Mode ``any`` switches the check off. A refused attempt
raises ``NetworkRefused`` (exit 5) before any packet leaves.

What a Python hook cannot see: native code that opens sockets itself (Qt's own
networking, a C library). HKPilot uses none for its work; the tests prove the whole
process (Qt included) offline with ``unshare -n`` and ``strace`` (docs/SECURITY.md).
This module sits beside ``atomic.py`` so that every layer may call it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from hkpilot.errors import NetworkRefused
from hkpilot.i18n import N_

log = logging.getLogger(__name__)

NONE, SERVER, ANY = "none", "server", "any"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_EVENTS = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.sendto", "socket.sendmsg",
    "socket.gethostbyname", "socket.gethostbyaddr",
})
WHY_NONE = N_("the policy allows no network")
WHY_UNLISTED = N_("not the configured server, its proxy or the update address")


class _State:
    def __init__(self) -> None:
        self.mode = SERVER
        self.hosts: set[str] = set()
        self.ips: set[str] = set()
        self.installed = False
        self.lock = threading.Lock()
        self.local = threading.local()


_state = _State()


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a name or an address) stays on this computer."""
    if not host:
        return True  # a passive lookup (bind) or a local socket
    name = host.strip("[]").lower().rstrip(".")
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool(ip.is_loopback or ip.is_unspecified or (mapped is not None and mapped.is_loopback))


def mode() -> str:
    return _state.mode


def configure(new_mode: str) -> None:
    """Set the mode and make sure the hook is in place (idempotent; hooks cannot be removed)."""
    with _state.lock:
        _state.mode = new_mode if new_mode in (NONE, SERVER, ANY) else NONE
        if not _state.installed:
            sys.addaudithook(_hook)
            _state.installed = True
    log.info("network guard: mode %s", _state.mode)


def reset() -> None:
    """Back to the default mode with nothing registered (tests)."""
    with _state.lock:
        _state.mode = SERVER
        _state.hosts.clear()
        _state.ips.clear()


def allow_url(url: str) -> None:
    """Let this process reach the host of ``url``; refused outright in mode ``none`` unless loopback."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host or is_loopback(host):
        return
    if _state.mode == NONE:
        raise NetworkRefused(host=host, why=WHY_NONE)
    with _state.lock:
        _state.hosts.add(host.lower().rstrip("."))
        _state.ips.clear()  # resolved again on the next unknown address


def allow_proxies(proxy: str | None, trust_env: bool) -> None:
    """Register the proxy a client will use: the one given, or the system's (environment, OS settings)."""
    urls = [proxy] if proxy else []
    if trust_env:
        try:
            urls += [u for k, u in urllib.request.getproxies().items() if k != "no"]
        except Exception:  # noqa: BLE001 - an unreadable OS proxy setting means none
            log.info("system proxy settings not readable")
    for url in urls:
        if _state.mode != NONE:  # in mode none a proxy could only carry refused traffic
            allow_url(url)


def require_network(what: str) -> None:
    """Refuse an action that needs the network (a download by another program) in mode ``none``."""
    if _state.mode == NONE:
        raise NetworkRefused(host=what, why=WHY_NONE)


def _resolved_ips() -> set[str]:
    """Addresses of the registered names (looked up here, with the hook stepping aside)."""
    if not _state.ips:
        ips: set[str] = set()
        for host in list(_state.hosts):
            try:
                ips.update(str(info[4][0]) for info in socket.getaddrinfo(host, None))
            except OSError:
                continue
        _state.ips = ips
    return _state.ips


def _allowed(host: str) -> bool:
    if is_loopback(host):
        return True
    if _state.mode == NONE:
        return False
    name = host.strip("[]").lower().rstrip(".")
    if name in _state.hosts:
        return True
    try:
        ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False  # an unregistered name: never even looked up
    return name.split("%")[0] in _resolved_ips()


def _host_of(event: str, args: tuple[Any, ...]) -> str | None:
    """The remote host an event is about, or None for one that needs no check."""
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
            return None  # AF_UNIX and other local families
        if isinstance(address, tuple) and address:
            return str(address[0])
        return None
    host = args[0] if args else None
    if host is None:
        return None
    return host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or _state.mode == ANY or getattr(_state.local, "busy", False):
        return
    host = _host_of(event, args)
    if host is None:
        return
    _state.local.busy = True
    try:
        allowed = _allowed(host)
    finally:
        _state.local.busy = False
    if not allowed:
        log.warning("network guard refused a connection (%s)", event)
        raise NetworkRefused(host=host, why=WHY_NONE if _state.mode == NONE else WHY_UNLISTED)
