"""``hkpilot --selftest``: check that an installed (or frozen) HKPilot works on this machine.

What an administrator runs after deploying: the imports (llama.cpp's native library
included), the bundled resources and catalogues, a .docx written and read back, the
window opened offscreen, one short completion when a local model is installed, and every
setting with where its value came from (policy, policy default, user, installer, default).
Exit status 0 when every check passed, 1 otherwise. Nothing here reaches the network.

The window check lives in hkpilot/gui/self_check.py: only hkpilot/gui imports PySide6.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from hkpilot import __version__
from hkpilot.config.machine import MACHINE_KEYS, shared_models_dir
from hkpilot.config.schema import OPTIONS
from hkpilot.config.settings import Settings
from hkpilot.i18n import N_, gettext

_ = gettext

ORIGINS = {
    "policy": N_("policy (locked)"),
    "policy-default": N_("policy default"),
    "user": N_("user"),
    "installer": N_("installer default"),
    "default": N_("default"),
}

_MODULES = ("docx", "pypdf", "openpyxl", "httpx", "opencc", "fpdf", "keyring", "platformdirs", "truststore", "llama_cpp")


def check_imports() -> str:
    """Every runtime module imports, llama.cpp's shared library loads, OpenCC finds its data."""
    versions = []
    for name in _MODULES:
        module = importlib.import_module(name)
        version = getattr(module, "__version__", "")
        versions.append(f"{name} {version}".strip())
    import llama_cpp
    import opencc

    llama_cpp.llama_supports_gpu_offload()  # a call into libllama: the library really loaded
    if opencc.OpenCC("s2hk").convert("汉字") != "漢字":
        raise RuntimeError("OpenCC s2hk conversion")
    importlib.import_module("hkpilot.app.session")
    return ", ".join(versions)


def check_resources() -> str:
    """The drafting templates, icon and both translation catalogues are bundled."""
    from hkpilot.i18n import parse_po
    from hkpilot.resources import resources_dir, translations_dir

    templates = sorted(p.stem for p in (resources_dir() / "templates").glob("*.toml"))
    if not templates:
        raise RuntimeError(f"no templates in {resources_dir()}")
    icon = resources_dir() / "icons" / "hkpilot.svg"
    qm = translations_dir() / "hkpilot_zh_HK.qm"
    for required in (icon, qm):
        if not required.is_file():
            raise RuntimeError(f"missing {required}")
    entries = len(parse_po(translations_dir() / "hkpilot_zh_HK.po"))
    if entries == 0:
        raise RuntimeError("empty zh-HK catalogue")
    return f"{len(templates)} templates, zh-HK: {entries} messages + {qm.name}"


def check_docx() -> str:
    """A .docx written and read back keeps English and Chinese text."""
    from hkpilot.documents.docx_writer import write_new_docx
    from hkpilot.documents.loader import load_document

    with tempfile.TemporaryDirectory(prefix="hkpilot-selftest-") as tmp:
        path = Path(tmp) / "selftest.docx"
        lines = ["HKPilot self-test", "香港特別行政區政府 test paragraph"]
        write_new_docx([("heading", lines[0]), ("paragraph", lines[1])], path)
        doc = load_document(path)
        texts = [b.text for b in doc.blocks]
        if not all(line in texts for line in lines):
            raise RuntimeError(f"read back {len(texts)} blocks that differ from what was written")
        return f"{path.stat().st_size} bytes, {len(doc.blocks)} blocks"


def check_window(settings: Settings) -> str:
    """The main window opens offscreen, and the zh-HK interface catalogue loads."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never flash a window at the administrator
    from hkpilot.app.session import Session
    from hkpilot.gui.self_check import check_main_window  # Qt stays in hkpilot/gui

    return check_main_window(Session(settings))


def check_completion(settings: Settings) -> str | None:
    """One short answer from the local model; None when no model is installed (skipped)."""
    from hkpilot.engines.base import CancelToken, GenParams, Message
    from hkpilot.engines.factory import local_model_path
    from hkpilot.engines.local import LocalEngine

    if settings.get("engine.kind") != "local":
        return None
    path = local_model_path(settings)
    if not path.is_file():
        return None
    from hkpilot.config.security import SecurityPolicy

    engine = LocalEngine(path, n_ctx=1024, n_gpu_layers=int(settings.get("local.n_gpu_layers")),
                         allowed_sha256=SecurityPolicy.of(settings).allowed_model_sha256)
    try:
        t0 = time.monotonic()
        messages: list[Message] = [{"role": "user", "content": "Reply with the word OK."}]
        text = "".join(engine.stream(messages, GenParams(max_tokens=8, temperature=0.0), CancelToken()))
        if not text.strip():
            raise RuntimeError("the model returned no text")
        return f"{path.name}: {engine.last_stats.completion_tokens} tokens in {time.monotonic() - t0:.1f} s"
    finally:
        engine.close()


def _line(out: TextIO, status: str, label: str, seconds: float, detail: str) -> None:
    out.write(f"  {status:<5} {label} ({seconds:.2f} s): {detail}\n")
    out.flush()


def _settings_report(settings: Settings, out: TextIO) -> None:
    out.write(_("Settings and where each value comes from:") + "\n")
    for option in OPTIONS:
        shown = "********" if option.secret and settings.get(option.key) else repr(settings.get(option.key))
        out.write(f"  {option.key} = {shown}  [{_(ORIGINS[settings.origin(option.key)])}]\n")
    for key in MACHINE_KEYS:
        value: object = settings.policy.extra.get(key.key)
        if key.type is dict:  # a table (server.headers): only the names, values may be credentials
            prefix = key.key + "."
            names = sorted(k[len(prefix):] for k in settings.policy.extra if k.startswith(prefix))
            out.write(f"  {key.key} = {names!r}  [{_(ORIGINS['policy' if names else 'default'])}]\n")
            continue
        origin = "policy"
        if value is None:
            value, origin = settings.installer.extra.get(key.key), "installer"
        if value is None:
            value, origin = key.default if key.default is not None else key.type(), "default"
        if key.key == "models.shared_dir":
            value = str(shared_models_dir(settings.policy.extra, settings.installer.extra))
        out.write(f"  {key.key} = {value!r}  [{_(ORIGINS[origin])}]\n")
    sources = [str(settings.policy.source or "")] + (["HKLM\\SOFTWARE\\Policies\\HKPilot"] if settings.policy.registry else [])
    out.write(_("Policy: {policy}; installer defaults: {installer}").format(
        policy=", ".join(s for s in sources if s) or "-", installer=settings.installer.source or "-") + "\n")


def run_selftest(out: TextIO | None = None, window: bool = True) -> int:
    """Run every check, print one line each and the settings report; 0 when all passed."""
    from hkpilot.app.updates import update_status

    out = out or sys.stdout
    frozen = _("frozen") if getattr(sys, "frozen", False) else _("from source")
    out.write(_("HKPilot {version} self-test ({kind}, Python {python}, {platform})").format(
        version=__version__, kind=frozen, python=sys.version.split()[0], platform=sys.platform) + "\n")
    settings = Settings()
    checks: list[tuple[str, Callable[[], str | None]]] = [
        (N_("imports"), check_imports),
        (N_("resources and catalogues"), check_resources),
        (N_("write and read a .docx"), check_docx),
    ]
    if window:
        checks.append((N_("open the window offscreen"), lambda: check_window(settings)))
    checks.append((N_("one completion with the local model"), lambda: check_completion(settings)))
    failed = 0
    for label, check in checks:
        t0 = time.monotonic()
        try:
            detail = check()
        except Exception as exc:  # noqa: BLE001 - a self-test reports every failure and goes on
            failed += 1
            _line(out, "FAIL", _(label), time.monotonic() - t0, f"{type(exc).__name__}: {exc}")
            continue
        if detail is None:
            _line(out, "skip", _(label), time.monotonic() - t0, _("no local model installed (or the server engine is set)"))
        else:
            _line(out, "ok", _(label), time.monotonic() - t0, detail)
    out.write(_("Network: {status}").format(status=update_status(settings)) + "\n")
    _settings_report(settings, out)
    if failed:
        out.write(_("Self-test failed: {count} checks failed.").format(count=failed) + "\n")
        return 1
    out.write(_("Self-test passed.") + "\n")
    return 0
