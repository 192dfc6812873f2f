"""HTTP plumbing for departmental servers: settings, TLS, proxy, typed errors, retry timing.

Kept apart from ``remote.py`` so the server check, the engine and the tests share one
idea of what a connection is and of what each failure means to a person.
"""

from __future__ import annotations

import email.utils
import errno
import json
import logging
import re
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from hkpilot import net_guard
from hkpilot.errors import (
    ContextTooLong,
    EngineError,
    ServerAuthRefused,
    ServerError,
    ServerModelUnknown,
    ServerTimeout,
    ServerTLSError,
    ServerUnreachable,
)
from hkpilot.i18n import N_

if TYPE_CHECKING:
    from hkpilot.config.settings import Settings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503})
"""Statuses that say "not now" rather than "no": retried with backoff, before any token."""

HARD_MAX_PARALLEL = 16
_CONTEXT_HINTS = ("context length", "context_length", "maximum context", "too long", "exceed", "n_ctx", "context window",
                  "context size")
_LIMIT_RE = re.compile(r"(?:context (?:length|window|size)[^0-9]{0,40}|n_ctx[^0-9]{0,10})(\d{3,7})", re.IGNORECASE)


@dataclass(frozen=True)
class ServerConfig:
    """Everything needed to talk to one server; built from settings and policy."""

    url: str
    model: str = ""
    api_key: str | None = None  # None: look it up in the keyring
    connect_timeout: float = 10.0
    read_timeout: float = 120.0  # the longest silence (no data) accepted, first token included
    deadline: float = 900.0  # the longest one request may take, however the server trickles
    ca_bundle: str = ""
    proxy: str = ""  # "": the system's proxy settings; "direct": none; else a proxy URL
    headers: dict[str, str] = field(default_factory=dict)
    max_retries: int = 3
    backoff_base: float = 0.5
    retry_after_cap: float = 30.0  # a server asking for longer is not waited for longer
    context_window: int = 0  # declared by settings/policy; 0: ask the server
    parallel_requests: int = 1


def parse_headers(text: str) -> dict[str, str]:
    """``"X-Dept: abc; X-Team: y"`` (or one per line) as a dict; malformed pieces are skipped."""
    headers: dict[str, str] = {}
    for part in re.split(r"[;\n]", text or ""):
        name, sep, value = part.partition(":")
        name, value = name.strip(), value.strip()
        if sep and name and re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", name):
            headers[name] = value
    return headers


def config_from_settings(settings: Settings, **overrides: Any) -> ServerConfig:
    """The server settings, with the policy's caps and headers applied."""
    values = {key: settings.get(key) for key in SERVER_KEYS}
    return config_from_values(values, settings.policy.extra, **overrides)


SERVER_KEYS = ("server.url", "server.model", "server.connect_timeout", "server.read_timeout", "server.deadline",
               "server.ca_bundle", "server.proxy", "server.extra_headers", "server.max_retries",
               "server.context_window", "server.parallel_requests")


def config_from_values(values: dict[str, Any], extra: dict[str, Any], **overrides: Any) -> ServerConfig:
    """A ServerConfig from option values (e.g. a dialog's unsaved ones) and the policy's extra keys."""
    headers = parse_headers(str(values["server.extra_headers"]))
    for key, value in extra.items():  # [server.headers] table in the policy file
        if key.startswith("server.headers."):
            headers[key[len("server.headers."):]] = str(value)
    cap = _int(extra.get("server.max_parallel"), HARD_MAX_PARALLEL)
    fields: dict[str, Any] = {
        "url": str(values["server.url"]),
        "model": str(values["server.model"]),
        "connect_timeout": float(values["server.connect_timeout"]),
        "read_timeout": float(values["server.read_timeout"]),
        "deadline": float(values["server.deadline"]),
        "ca_bundle": str(values["server.ca_bundle"]),
        "proxy": str(values["server.proxy"]),
        "headers": headers,
        "max_retries": int(values["server.max_retries"]),
        "retry_after_cap": float(extra.get("server.retry_after_cap", 30.0)),
        "context_window": int(values["server.context_window"]),
        "parallel_requests": max(1, min(int(values["server.parallel_requests"]), cap, HARD_MAX_PARALLEL)),
    }
    fields.update(overrides)
    return ServerConfig(**fields)


def _int(value: Any, default: int) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


# -- connections ----------------------------------------------------------------------------


def ssl_context(ca_bundle: str = "") -> ssl.SSLContext:
    """The operating system's trust store (internal CAs installed there included), plus an
    optional PEM bundle from settings or policy. Hostnames are always checked."""
    try:
        import truststore

        ctx: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - truststore is a dependency
        ctx = ssl.create_default_context()
    if ca_bundle:
        path = Path(ca_bundle).expanduser()
        try:
            ctx.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as exc:
            raise ServerTLSError(url=str(path), detail=f"the CA bundle cannot be read ({type(exc).__name__})") from exc
    return ctx


def build_client(cfg: ServerConfig, api_key: str | None) -> httpx.Client:
    """An httpx client with our timeouts, trust, proxy and headers (the key never logged)."""
    headers = dict(cfg.headers)
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    proxy = cfg.proxy.strip()
    direct = proxy.lower() in ("direct", "none")
    timeout = httpx.Timeout(connect=cfg.connect_timeout, read=cfg.read_timeout, write=cfg.read_timeout,
                            pool=cfg.connect_timeout)
    # This process may reach only what its clients are pointed at (hkpilot/net_guard.py).
    net_guard.allow_url(cfg.url)
    net_guard.allow_proxies(None if (direct or not proxy) else proxy, trust_env=not (direct or proxy))
    return httpx.Client(
        headers=headers,
        timeout=timeout,
        verify=ssl_context(cfg.ca_bundle),
        proxy=None if (direct or not proxy) else proxy,
        trust_env=not (direct or proxy),  # "": HTTP(S)_PROXY/NO_PROXY and the OS proxy settings
        follow_redirects=False,  # a redirect would carry the key elsewhere
    )


# -- what failures mean -------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    """A short technical reason for a transport failure, without URLs or keys."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return str(seen.verify_message or seen.reason or "certificate verify failed").rstrip(".")
        if isinstance(seen, ssl.SSLError) and seen.reason:  # e.g. TLSV1_ALERT_UNKNOWN_CA -> "tlsv1 alert unknown ca"
            return str(seen.reason).replace("_", " ").lower()
        if isinstance(seen, ConnectionRefusedError) or getattr(seen, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return text.split("certificate verify failed:")[-1].strip(" )") or "certificate verify failed"
    if "refused" in text.lower():
        return "connection refused"
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "host name not found"
    return type(exc).__name__


def is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    return "CERTIFICATE_VERIFY_FAILED" in text or ("SSL" in text and "alert" in text.lower())


def is_reset(exc: BaseException) -> bool:
    """A connection dropped by the other side before an answer: worth one more try."""
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return True
    return isinstance(exc, httpx.ConnectError) and ("reset" in str(exc).lower() or "104" in str(exc))


def speaks_plain_http(exc: BaseException) -> bool:
    """An https:// URL pointed at a port that answers in plain HTTP (the TLS handshake got an
    HTTP response): the URL's scheme is wrong, not the certificate."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) and seen.reason in _PLAIN_HTTP_REASONS:
            return True
        seen = seen.__cause__ or seen.__context__
    return any(reason in str(exc) for reason in _PLAIN_HTTP_REASONS)


_PLAIN_HTTP_REASONS = ("WRONG_VERSION_NUMBER", "HTTP_REQUEST", "RECORD_LAYER_FAILURE")
_PLAIN_HTTP = N_("Cannot reach the inference server at {url}: that port answers in plain HTTP, not HTTPS. "
                 "Check whether the address should start with http://.")


def transport_error(exc: httpx.HTTPError, url: str, read_timeout: float) -> EngineError:
    """A typed error for a failure below HTTP (refused, TLS, timeout, reset)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return ServerUnreachable(url=url, detail="connection timed out")
    if isinstance(exc, httpx.TimeoutException):
        return ServerTimeout(url=url, seconds=round(read_timeout))
    if url.lower().startswith("https://") and speaks_plain_http(exc):
        return ServerUnreachable(_PLAIN_HTTP, url=url)
    if is_tls_failure(exc):
        return ServerTLSError(url=url, detail=_reason(exc))
    if isinstance(exc, httpx.ProxyError):
        return ServerUnreachable(url=url, detail=f"proxy: {_reason(exc)}")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return ServerUnreachable(url=url, detail="the connection was closed by the server")
    return ServerUnreachable(url=url, detail=_reason(exc))


def error_message(body: str) -> str:
    """The human part of an error body (OpenAI, vLLM, TGI, Ollama and LiteLLM shapes)."""
    text = body[:2000]
    try:
        data = json.loads(text)
    except ValueError:
        return text.strip()[:200]
    detail: Any = data
    if isinstance(data, dict):
        detail = data.get("error", data.get("detail", data.get("message", data)))
        if isinstance(detail, dict):
            detail = detail.get("message", detail)
    return str(detail)[:200]


def context_limit_in(message: str) -> int | None:
    """The limit a server states in a context-overflow message, if it states one."""
    match = _LIMIT_RE.search(message)
    return int(match.group(1)) if match else None


def http_error(status: int, body: str, url: str, model: str, limit: int | None = None) -> EngineError:
    """A typed error for an HTTP error status."""
    message = error_message(body)
    lower = message.lower()
    if status in (401, 403):
        return ServerAuthRefused(url=url, status=status)
    if (status == 404 and "model" in lower) or (status == 400 and "invalid model" in lower):
        return ServerModelUnknown(model=model)
    if status in (400, 413, 422, 500) and any(h in lower for h in _CONTEXT_HINTS) and "stream_options" not in lower:
        stated = context_limit_in(message)
        return ContextTooLong(tokens="?", limit=stated or limit or "?")
    if status == 404:
        return ServerError(status=status, detail="not found: check the server URL")
    return ServerError(status=status, detail=message or "-")


def retry_delay(headers: httpx.Headers, attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before the next try: the server's Retry-After (capped), else backoff."""
    value = headers.get("retry-after", "").strip()
    if value:
        try:
            seconds = float(value)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
                seconds = when.timestamp() - time.time()
            except (TypeError, ValueError, IndexError):
                seconds = -1
        if seconds >= 0:
            return min(seconds, cap)
    return min(base * (2**attempt), cap)
