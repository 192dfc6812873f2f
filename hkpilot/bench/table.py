"""The one table ``hkpilot bench`` prints: each figure beside its baseline, the ratio and the goal."""

from __future__ import annotations

from typing import Any

from hkpilot.i18n import N_, gettext

_ = gettext

Row = tuple[str, str, str, str, str, str]  # measure, HKPilot, baseline, ratio, goal, met

HEADER = (N_("Measure"), N_("HKPilot"), N_("Baseline"), N_("Ratio"), N_("Goal"), N_("Met"))
YES, NO = N_("yes"), N_("no")
FAILED = N_("{section}: failed ({error})")


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return _(YES) if value else _(NO)
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def _met(ok: bool | None) -> str:
    return "-" if ok is None else (_(YES) if ok else _(NO))


def _overhead(s: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for n in ("256", "1024"):
        if n not in s:
            continue
        ours, theirs = s[n]["local_engine"], s[n]["llama_cpp_python"]
        rows.append((_(N_("Decode tok/s, {n} tokens: LocalEngine stream vs llama.cpp decode timer")).format(n=n),
                     _f(ours["stream_tps"]), _f(ours["raw_tps"]), _f(ours["ratio"], 3), ">= 0.97",
                     _met(ours["ratio"] >= 0.97)))
        rows.append((_(N_("Decode tok/s, {n} tokens: llama-cpp-python stream vs llama.cpp decode timer")).format(n=n),
                     _f(theirs["stream_tps"]), _f(theirs["raw_tps"]), _f(theirs["ratio"], 3), "", ""))
    if "256" in s:
        ours, theirs = s["256"]["local_engine"], s["256"]["llama_cpp_python"]
        ratio = ours["first_s"] / theirs["first_s"] if theirs["first_s"] else None
        rows.append((_(N_("Time to first token, s: LocalEngine vs llama-cpp-python")), _f(ours["first_s"], 2),
                     _f(theirs["first_s"], 2), _f(ratio, 2), "", ""))
    return rows


def _remote(s: dict[str, Any]) -> list[Row]:
    ours, bare = s["remote_engine"], s["bare_httpx"]
    return [(_(N_("Stream pieces/s from llama_cpp.server: RemoteEngine vs bare httpx (median of pairs)")),
             _f(ours["stream_pps"]),
             _f(bare["stream_pps"]), _f(s["ratio"], 3), ">= 0.97", _met(s["ratio"] >= 0.97))]


def _translation(s: dict[str, Any]) -> list[Row]:
    label = _(N_("Translate a {pages}-page .docx ({blocks} blocks) EN>zh-HK, s: HKPilot vs one request per paragraph"))
    rows: list[Row] = [(label.format(pages=_f(s["pages"], 1 if s["pages"] % 1 else 0), blocks=s["blocks"]),
                        _f(s["hkpilot_s"]), _f(s["naive_s"]), _f(s["speedup"], 2) + "x", ">= 2x",
                        _met(s["speedup"] >= 2))]
    if s.get("naive_chrf") is not None:
        ours, theirs = s.get("hkpilot_chrf"), s["naive_chrf"]
        rows.append((_(N_("chrF on the evaluation set ({count} segments): HKPilot vs the naive loop")).format(
            count=s["eval_segments"]), _f(ours), _f(theirs), _f(ours - theirs if ours is not None else None, 1),
            ">= 0", _met(ours is not None and ours >= theirs)))
    return rows


def _summarise(s: dict[str, Any]) -> list[Row]:
    ratio = s["source_tokens_per_s"] / s["raw_prompt_tokens_per_s"] if s["raw_prompt_tokens_per_s"] else None
    return [(_(N_("Summarise a {pages}-page document: source tokens read per s vs llama.cpp prompt speed")).format(
        pages=s["pages"]), _f(s["source_tokens_per_s"]), _f(s["raw_prompt_tokens_per_s"]), _f(ratio, 2), "", "")]


def _startup(s: dict[str, Any]) -> list[Row]:
    return [
        (_(N_("hkpilot --version, s (bare python -c pass)")), _f(s["version_s"], 3), _f(s["python_s"], 3), "",
         "< 0.3", _met(s["version_s"] < 0.3)),
        (_(N_("Window shown offscreen, s: HKPilot vs bare PySide6 window with three tabs")),
         _f(s["hkpilot_window_s"], 2), _f(s["bare_window_s"], 2), _f(s["window_ratio"], 2), "<= 3",
         _met(s["window_ratio"] <= 3)),
        (_(N_("Model loaded in the background, s after the window was shown")), _f(s["model_loaded_after_s"], 2),
         "", "", _(N_("after the window")), _met(not s["model_loaded_at_show"])),
    ]


def _memory(s: dict[str, Any]) -> list[Row]:
    return [
        (_(N_("Resident memory without a model, MiB")), _f(s["idle_mb"], 0), "", "", "", ""),
        (_(N_("Resident memory with the model loaded, MiB")), _f(s["model_mb"], 0), "", "", "", ""),
        (_(N_("Memory growth over {jobs} translate jobs, %")).format(jobs=s["jobs"]), _f(s["growth_pct"], 2),
         "", "", "< 5", _met(s["growth_pct"] < 5)),
    ]


def _extraction(s: dict[str, Any]) -> list[Row]:
    return [
        (_(N_("PDF extraction, pages/s ({pages} pages)")).format(pages=s["pdf_pages"]), _f(s["pdf_pages_per_s"]),
         "", "", "", ""),
        (_(N_(".docx extraction, paragraphs/s ({count} paragraphs)")).format(count=s["docx_paragraphs"]),
         _f(s["docx_paragraphs_per_s"], 0), "", "", "", ""),
    ]


BUILDERS = {"overhead": _overhead, "remote": _remote, "translation": _translation, "summarise": _summarise,
            "startup": _startup, "memory": _memory, "extraction": _extraction}


def rows(report: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for name, section in report["sections"].items():
        if "error" in section:
            out.append((_(FAILED).format(section=name, error=section["error"][:80]), "", "", "", "", ""))
            continue
        try:
            out.extend(BUILDERS[name](section))
        except (KeyError, TypeError, ZeroDivisionError) as exc:
            out.append((_(FAILED).format(section=name, error=type(exc).__name__), "", "", "", "", ""))
    return out


def render(report: dict[str, Any]) -> str:
    """A Markdown table (readable in a terminal, pasteable into docs/PERFORMANCE.md)."""
    table = [tuple(_(h) for h in HEADER), *rows(report)]
    m = report["machine"]
    lines = ["| " + " | ".join(r) + " |" for r in table]
    lines.insert(1, "|" + "---|" * len(HEADER))
    head = _(N_("HKPilot bench ({mode}): {model}, {threads} threads, {parallel} parallel, context {n_ctx}; {cpu}, load {load}"))
    return head.format(mode=report["mode"], model=report["model"], threads=report["threads"],
                       parallel=report["parallel"], n_ctx=report["n_ctx"], cpu=m["cpu"],
                       load=_f(m["load_average_1m"], 2)) + "\n\n" + "\n".join(lines)
