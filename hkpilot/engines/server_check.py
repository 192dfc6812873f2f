"""Check a departmental server step by step: reachable, TLS, key, model, window, a 1-token answer.

One function for both faces: ``hkpilot server check`` prints the report, the settings
dialog's "Test connection" shows it as plain text. Every step says what it found; the
first failing step ends the check with the typed error's message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.engines.http_client import ServerConfig
from hkpilot.errors import Cancelled, HKPilotError, ServerAuthRefused, ServerModelUnknown, ServerTLSError
from hkpilot.i18n import N_, gettext

OK, NOTE, FAIL = "ok", "note", "fail"
_MARKS = {OK: N_("[OK]"), NOTE: N_("[NOTE]"), FAIL: N_("[FAIL]")}


@dataclass
class CheckStep:
    label: str  # N_ template
    status: str  # OK, NOTE or FAIL
    detail: str  # N_ template
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        try:
            detail = gettext(self.detail).format(**self.params)
        except (KeyError, IndexError, ValueError):
            detail = gettext(self.detail)
        return gettext(N_("{mark} {label}: {detail}")).format(mark=gettext(_MARKS[self.status]), label=gettext(self.label),
                                                             detail=detail)


@dataclass
class CheckReport:
    url: str
    steps: list[CheckStep] = field(default_factory=list)
    error: HKPilotError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(s.status != FAIL for s in self.steps)

    def add(self, label: str, mark: str, detail: str, **params: Any) -> None:
        self.steps.append(CheckStep(label, mark, detail, params))

    def lines(self) -> list[str]:
        """The report in the UI language, one line per step and a verdict."""
        out = [gettext(N_("Server check: {url}")).format(url=self.url)]
        out += [step.render() for step in self.steps]
        if self.ok:
            out.append(gettext(N_("The server is ready to use.")))
        elif any(s.status == FAIL for s in self.steps):  # the failed step already says why
            out.append(gettext(N_("The server cannot be used.")))
        else:
            reason = self.error.render() if self.error else "-"
            out.append(gettext(N_("The server cannot be used: {reason}")).format(reason=reason))
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def check_server(cfg: ServerConfig, cancel: CancelToken | None = None) -> CheckReport:
    """Run every step against the server ``cfg`` describes; never raises an HKPilotError."""
    from hkpilot.engines.remote import RemoteEngine, normalise_base_url

    cancel = cancel or CancelToken()
    report = CheckReport(url=cfg.url or "-")
    try:
        report.url = normalise_base_url(cfg.url)
        engine = RemoteEngine.from_config(cfg)
    except HKPilotError as exc:
        report.add(N_("Address"), FAIL, N_("{error}"), error=exc.render())
        report.error = exc
        return report
    try:
        _run_steps(engine, cfg, report, cancel)
    except Cancelled:
        raise
    except HKPilotError as exc:
        report.error = exc
    finally:
        engine.close()
    return report


def _run_steps(engine: Any, cfg: ServerConfig, report: CheckReport, cancel: CancelToken) -> None:
    https = report.url.startswith("https://")
    t0 = time.perf_counter()
    try:
        listing = engine.list_models()
    except ServerTLSError as exc:
        report.add(N_("Reachable"), OK, N_("a connection was made"))
        report.add(N_("TLS"), FAIL, N_("{error}"), error=exc.render())
        raise
    except ServerAuthRefused as exc:
        report.add(N_("Reachable"), OK, N_("answered in {ms} ms"), ms=_ms(time.perf_counter() - t0))
        report.add(N_("API key"), FAIL, N_("refused (HTTP {status})"), status=exc.params.get("status", "?"))
        raise
    except HKPilotError as exc:
        report.add(N_("Reachable"), FAIL, N_("{error}"), error=exc.render())
        raise
    report.add(N_("Reachable"), OK, N_("answered in {ms} ms"), ms=_ms(time.perf_counter() - t0))
    if https:
        extra = N_("certificate verified (system trust store and the configured CA bundle)") if cfg.ca_bundle else N_(
            "certificate verified (system trust store)")
        report.add(N_("TLS"), OK, extra)
    else:
        report.add(N_("TLS"), NOTE, N_("not used: plain HTTP is not encrypted"))
    report.add(N_("API key"), OK, N_("accepted") if engine._client.headers.get("Authorization") else N_("none sent; accepted"))
    ids = ", ".join(str(m["id"]) for m in listing[:8]) or "-"
    try:
        engine.resolve_model(listing)
    except ServerModelUnknown as exc:
        if cfg.model:
            report.add(N_("Model"), FAIL, N_("'{model}' is not offered; the server offers: {models}"),
                       model=cfg.model, models=ids)
        else:  # none chosen and no single one to take
            report.add(N_("Model"), FAIL, N_("{error}"), error=exc.render())
        raise
    report.add(N_("Model"), OK, N_("{model} (offered: {models})"), model=engine.model, models=ids)
    facts = engine.facts()
    report.add(N_("Server type"), OK, "{kind}", kind=facts.kind_name)
    sources = {
        "server": N_("{tokens} tokens, as the server reports"),
        "declared": N_("{tokens} tokens, as declared in the settings or policy"),
        "declared+server": N_("{tokens} tokens (the declared value, capped by the server's {reported})"),
        "default": N_("{tokens} tokens assumed: the server does not say (set server.context_window to declare it)"),
    }
    report.add(N_("Context window"), NOTE if facts.context_source == "default" else OK,
               sources.get(facts.context_source, sources["server"]),
               tokens=facts.context, reported=facts.reported or "-")
    exact = engine.counter.exact
    report.add(N_("Token counting"), OK if exact else NOTE,
               N_("the server's tokenizer") if exact else N_("estimated (the server offers no tokenizer)"))
    parallel = engine.parallel_requests
    if facts.interrupts:
        report.add(N_("Parallel requests"), NOTE,
                   N_("1 at a time: this server cuts a running answer short when another request arrives"))
    else:
        report.add(N_("Parallel requests"), OK, N_("{count} at once (server slots: {slots})"), count=parallel,
                   slots=facts.slots or "-")
    t1 = time.perf_counter()
    try:
        pieces = list(engine.stream([{"role": "user", "content": "Reply with OK."}],
                                    GenParams(max_tokens=1, temperature=0.0), cancel))
    except HKPilotError as exc:
        report.add(N_("1-token answer"), FAIL, N_("{error}"), error=exc.render())
        raise
    stats = engine.last_stats
    report.add(N_("1-token answer"), OK, N_("{ms} ms in all, first token after {first} ms ({text})"),
               ms=_ms(time.perf_counter() - t1), first=_ms(stats.first_token_s), text=repr("".join(pieces))[:20])
