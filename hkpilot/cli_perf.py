"""CLI commands about speed and hardware: ``hkpilot bench`` and ``hkpilot doctor``.

Kept apart from ``cli.py``: it adds the parsers with ``add_perf_commands`` and calls
``run_perf_command``. ``doctor`` never touches the network; ``--load`` loads the model to
confirm where its layers went and how fast it writes.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from hkpilot.i18n import N_, gettext

_ = gettext

BENCH_SECTIONS = ("overhead", "remote", "translation", "summarise", "startup", "memory", "extraction")


def add_perf_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = sub.add_parser("bench", help=_("measure speed against llama.cpp, a bare client and a naive loop"))
    b.add_argument("--quick", action="store_true", help=_("small documents: a few minutes on two cores"))
    b.add_argument("--json", type=Path, metavar="FILE", help=_("also write every figure as JSON"))
    b.add_argument("--model", metavar="GGUF", help=_("local model file"))
    b.add_argument("--threads", type=int, default=0, help=_("CPU threads (0: the setting)"))
    b.add_argument("--parallel", type=int, default=0, help=_("blocks decoded together (0: the setting)"))
    b.add_argument("--n-ctx", dest="n_ctx", type=int, default=8192, help=_("context size (tokens)"))
    b.add_argument("--only", action="append", choices=BENCH_SECTIONS, help=_("run only this section (repeatable)"))
    d = sub.add_parser("doctor", help=_("show the inference backend, GPU, memory and model offload (no network)"))
    d.add_argument("--load", action="store_true", help=_("load the model and time a short reply"))
    d.add_argument("--model", metavar="GGUF", help=_("local model file"))


def run_perf_command(args: argparse.Namespace) -> int:
    if args.command == "bench":
        from hkpilot.bench.run import main as bench_main

        return bench_main(args)
    return doctor(args)


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def doctor(args: argparse.Namespace) -> int:
    from hkpilot import __version__
    from hkpilot.config.settings import Settings
    from hkpilot.engines.factory import local_model_path
    from hkpilot.engines.hardware import detect
    from hkpilot.engines.local import default_threads

    hw = detect()
    import llama_cpp  # after hkpilot.engines: its OpenMP setting must come first

    settings = Settings()
    lines = [
        _("HKPilot {version}, llama-cpp-python {llama}").format(version=__version__,
                                                               llama=getattr(llama_cpp, "__version__", "?")),
        _("Build: {variant} (backends: {backends})").format(variant=hw.variant, backends=", ".join(hw.backends) or "?"),
        _("GPU offload: {state}").format(state=_(N_("supported")) if hw.offload else _(N_("not supported"))),
    ]
    for dev in hw.gpus:
        lines.append(_("GPU: {name} ({description}), memory {total}, free {free}").format(
            name=dev.name, description=dev.description, total=_mib(dev.memory_total), free=_mib(dev.memory_free)))
    if not hw.gpus:
        lines.append(_("GPU: none this build can use"))
    if hw.unused_gpu:
        lines.append(_("Warning: nvidia-smi sees {gpus}, but this llama-cpp-python build cannot use it. "
                       "Run tools/bootstrap.py again on this machine (it builds for CUDA when nvcc and cuBLAS "
                       "are installed).").format(gpus="; ".join(hw.nvidia_smi)))
    threads = int(settings.get("local.n_threads")) or default_threads()
    features = hw.system_info.split("|")
    lines.append(_("CPU: {threads} threads; {features}").format(
        threads=threads, features=" ".join(f.split("=")[0].strip().replace("CPU :", "").strip()
                                           for f in features if f.strip().endswith("= 1"))))
    lines.append(_("OpenMP wait policy: {policy}").format(policy=os.environ.get("OMP_WAIT_POLICY", "-")))
    model = Path(args.model).expanduser() if args.model else local_model_path(settings)
    lines.extend(_model_lines(model, settings, hw.offload, args.load))
    print("\n".join(lines))
    return 0


def _model_lines(model: Path, settings: object, offload: bool, load: bool) -> list[str]:
    from hkpilot.engines.gguf import gguf_info

    if not model.is_file():
        return [_("Model: {path} (not found)").format(path=model)]
    try:
        layers = gguf_info(model).block_count
    except Exception as exc:  # noqa: BLE001 - a diagnosis must go on: say what failed
        return [_("Model: {path} (unreadable: {error})").format(path=model, error=type(exc).__name__)]
    get = settings.get  # type: ignore[attr-defined]
    wanted = int(get("local.n_gpu_layers"))
    planned = (layers if wanted < 0 else min(wanted, layers)) if offload else 0
    lines = [
        _("Model: {name}, {layers} layers").format(name=model.name, layers=layers),
        _("Layers to offload: {planned}/{layers} (setting local.n_gpu_layers = {wanted})").format(
            planned=planned, layers=layers, wanted=wanted),
        _("Context {n_ctx} tokens, {parallel} blocks at once").format(n_ctx=get("local.n_ctx"),
                                                                      parallel=get("local.parallel")),
    ]
    try:
        from hkpilot.engines.memory_estimate import check_load

        est, verdict = check_load(model, int(get("local.n_ctx")), wanted, offload)
        lines.append(_("Estimated memory: {ram} in RAM, {vram} on the GPU").format(ram=_mib(est.ram), vram=_mib(est.vram)))
        if verdict.reason:
            lines.append(verdict.render())
    except Exception as exc:  # noqa: BLE001 - the estimate is a help, not the diagnosis
        lines.append(_("Estimated memory: unavailable ({error})").format(error=type(exc).__name__))
    if load:
        lines.extend(_load_lines(model, settings))
    return lines


def _load_lines(model: Path, settings: object) -> list[str]:
    from hkpilot.engines.base import CancelToken, GenParams
    from hkpilot.engines.local import LocalEngine

    get = settings.get  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    engine = LocalEngine(model, n_ctx=int(get("local.n_ctx")), n_gpu_layers=int(get("local.n_gpu_layers")),
                         n_threads=int(get("local.n_threads")), parallel=int(get("local.parallel")))
    try:
        load_s = time.perf_counter() - t0
        info = engine.info().detail
        list(engine.stream([{"role": "user", "content": "Count from 1 to 50."}],
                           GenParams(max_tokens=48, temperature=0.0), CancelToken()))
        stats = engine.last_stats
    finally:
        engine.close()
    return [
        _("Loaded in {seconds:.2f} s: backend {backend}, layers on the GPU {layers}, flash attention {fa}").format(
            seconds=load_s, backend=info.get("backend", "?"), layers=info.get("gpu_layers", "?"),
            fa=_(N_("on")) if engine.flash_attn else _(N_("off"))),
        _("Short reply: first token after {first:.2f} s, then {rate:.1f} tokens/s").format(
            first=stats.first_token_s, rate=stats.tokens_per_s),
    ]
