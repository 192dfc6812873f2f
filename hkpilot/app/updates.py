"""The update check, which exists only when policy names an internal address.

HKPilot has no self-updater: new versions ship as new MSIs/.debs pushed by IT. When the
policy key ``update.url`` names an internal JSON file (``{"version": "0.2.0", "url":
"https://intranet/HKPilot-0.2.0.msi"}``), ``hkpilot check-update`` (and a face that wants
to) can tell the user that a newer version exists. Without that key, or with
``update.disabled`` set by policy or by the installer (``DISABLEUPDATECHECK=1``), nothing
is ever requested.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from hkpilot import __version__
from hkpilot.config.machine import as_bool
from hkpilot.config.settings import Settings
from hkpilot.i18n import N_, gettext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateInfo:
    version: str
    url: str


def update_url(settings: Settings) -> str | None:
    """The internal address to check, or None when the check is off."""
    disabled = settings.policy.extra.get("update.disabled", settings.installer.extra.get("update.disabled", False))
    if as_bool(disabled):
        return None
    url = str(settings.policy.extra.get("update.url") or "").strip()
    return url if url.startswith(("https://", "http://")) else None


def update_status(settings: Settings) -> str:
    """One translated line saying whether anything will ever be requested."""
    url = update_url(settings)
    if url is None:
        return gettext(N_("no update check (no internal address set by policy, or turned off); local mode needs no network"))
    return gettext(N_("update check against {url} (set by policy)")).format(url=url)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:4])


def check_for_update(settings: Settings, timeout: float = 5.0) -> UpdateInfo | None:
    """A newer version announced at the policy's address, or None (also on any failure)."""
    url = update_url(settings)
    if url is None:
        return None
    import ssl

    import httpx
    import truststore

    try:
        ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # the department's CA from the OS store
        response = httpx.get(url, timeout=timeout, verify=ctx, follow_redirects=False)
        response.raise_for_status()
        data = response.json()
        info = UpdateInfo(version=str(data["version"]), url=str(data.get("url", "")))
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        log.warning("update check failed: %s", type(exc).__name__)
        return None
    return info if _version_tuple(info.version) > _version_tuple(__version__) else None
