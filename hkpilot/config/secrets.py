"""API keys: the OS keyring (service ``hkpilot``, user = server URL) or HKPILOT_API_KEY.

Never written to settings files or logs. On a machine without a keyring backend
(headless Linux) a key set in the UI lives for the session only.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

SERVICE = "hkpilot"
_session_keys: dict[str, str] = {}


class KeyringUnavailable(Exception):
    """No OS keyring: the key could only be kept for this session."""


def get_api_key(server_url: str) -> str | None:
    env = os.environ.get("HKPILOT_API_KEY")
    if env:
        return env
    if server_url in _session_keys:
        return _session_keys[server_url]
    try:
        import keyring

        return keyring.get_password(SERVICE, server_url)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "no stored key"
        log.info("keyring not available: %s", type(exc).__name__)
        return None


def set_api_key(server_url: str, key: str) -> None:
    """Store ``key`` in the OS keyring; raise KeyringUnavailable after keeping it for the session."""
    try:
        import keyring

        if key:
            keyring.set_password(SERVICE, server_url, key)
        else:
            try:
                keyring.delete_password(SERVICE, server_url)
            except Exception:  # noqa: BLE001 - nothing stored is fine
                pass
        _session_keys.pop(server_url, None)
    except Exception as exc:
        log.warning("keyring not available, key kept for this session: %s", type(exc).__name__)
        if key:
            _session_keys[server_url] = key
        else:
            _session_keys.pop(server_url, None)
        raise KeyringUnavailable(type(exc).__name__) from exc
