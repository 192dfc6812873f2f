"""Start the network guard (``hkpilot/net_guard.py``) the way the policy says.

Called once by each face at start (``cli.main``, ``gui.app.run_gui``): policy
``network = "none"`` allows nothing but loopback and local sockets; the default allows,
besides those, only the hosts HKPilot's own HTTP client is pointed at (the server and
its proxy) and the update address the policy names. ``network = "any"`` turns it off.
"""

from __future__ import annotations

import logging
from typing import Any

from hkpilot import net_guard
from hkpilot.config.security import SecurityPolicy
from hkpilot.errors import NetworkRefused

log = logging.getLogger(__name__)


def install(settings: Any) -> str:
    """Configure the guard from ``settings``' policy; return the mode now in force."""
    policy = SecurityPolicy.of(settings)
    net_guard.configure(policy.network)
    try:
        from hkpilot.app.updates import update_url

        url = update_url(settings)
    except Exception:  # noqa: BLE001 - a broken update key must not stop the app
        url = None
    if url:
        try:
            net_guard.allow_url(url)
        except NetworkRefused:
            log.info("update address not allowed: the policy allows no network")
    return net_guard.mode()
