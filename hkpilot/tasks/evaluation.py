"""Score translations against a Hong Kong bilingual evaluation set (``hkpilot eval``).

The set (``tests/eval/segments.tsv``) holds English / Hong Kong Chinese pairs; each
direction is translated with the configured engine through the same code the app uses
(``translate.translate_text``: prompt, retries, HK script guard, glossary), then scored:

- chrF and BLEU (sacrebleu; BLEU with its Chinese tokeniser for Chinese output);
- script: Simplified characters the guard converted, Simplified-only characters left
  (must be 0), protected names of the reference kept in the output;
- glossary: term uses in the source whose target term is in the output, without the
  glossary ("before": verification only) and with it ("after": terms in the prompt,
  verification and one retry).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hkpilot.engines.base import CancelToken, Engine
from hkpilot.errors import UsageError
from hkpilot.i18n import N_, gettext
from hkpilot.tasks.events import Event, Finding, Result
from hkpilot.tasks.glossary import Glossary

_ = gettext


@dataclass(frozen=True)
class Segment:
    id: str
    source: str  # where the facts come from
    en: str
    zh: str


@dataclass
class RunScore:
    """One direction, one glossary mode."""

    direction: str  # "en>zh-HK" or "zh-HK>en"
    mode: str  # "none" or "glossary"
    segments: int = 0
    chrf: float = 0.0
    bleu: float = 0.0
    converted: int = 0  # Simplified characters the guard converted
    remaining: int = 0  # Simplified-only characters left after the guard
    names_expected: int = 0
    names_kept: int = 0
    terms_checked: int = 0
    terms_followed: int = 0
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)


def default_set() -> Path:
    from hkpilot.resources import resources_dir

    return resources_dir().parent / "tests" / "eval" / "segments.tsv"


def load_segments(path: Path) -> list[Segment]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(detail=f"{path}: {exc.strerror}") from exc
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    if rows and rows[0][:1] == ["id"]:
        rows = rows[1:]
    segments = [Segment(*r[:4]) for r in rows if len(r) >= 4]
    if not segments:
        raise UsageError(detail=f"{path}: no segments")
    return segments


def _translate(
    engine: Engine, text: str, target: str, glossary: Glossary | None, cancel: CancelToken
) -> tuple[str, list[Finding]]:
    from hkpilot.tasks.translate import translate_text

    findings: list[Finding] = []
    out = ""
    events: Iterator[Event] = translate_text(engine, text, target, cancel, "", engine.info().context_window, glossary)
    for event in events:
        if isinstance(event, Finding):
            findings.append(event)
        elif isinstance(event, Result):
            out = event.text
    return out, findings


def score_run(
    engine: Engine,
    segments: list[Segment],
    target: str,
    glossary: Glossary | None,
    checker: Glossary | None,
    cancel: CancelToken,
    progress: Callable[[int, int], None] | None = None,
) -> RunScore:
    """Translate every segment into ``target`` and score it; ``checker`` counts term use."""
    import sacrebleu

    from hkpilot.tasks.script_guard import REMAINING, SCRIPT, protected_names

    source = "en" if target != "en" else "zh-HK"
    run = RunScore(f"{source}>{target}", "glossary" if glossary else "none")
    refs: list[str] = []
    started = time.monotonic()
    for i, seg in enumerate(segments):
        cancel.check()
        text, ref = (seg.en, seg.zh) if source == "en" else (seg.zh, seg.en)
        out, findings = _translate(engine, text, target, glossary, cancel)
        run.outputs.append(out)
        refs.append(ref)
        for f in findings:
            if f.kind == "script":
                run.converted += sum(len(c.original) * c.count for c in f.items if c.kind == SCRIPT)
                run.remaining += sum(c.count for c in f.items if c.kind == REMAINING)
        if target == "zh-HK":
            expected = set(protected_names(ref))
            run.names_expected += len(expected)
            run.names_kept += sum(1 for name in expected if name in out)
        if checker is not None:
            check = checker.verify(text, out, source, target)
            run.terms_checked += check.checked
            run.terms_followed += check.checked - len(check.violations)
        if progress:
            progress(i + 1, len(segments))
    run.segments = len(segments)
    run.seconds = time.monotonic() - started
    run.chrf = sacrebleu.corpus_chrf(run.outputs, [refs]).score
    run.bleu = sacrebleu.corpus_bleu(run.outputs, [refs], tokenize="zh" if target != "en" else "13a").score
    return run


def table(runs: list[RunScore], model: str) -> list[str]:
    """The scores as an aligned text table (headers translated)."""
    head = [_("direction"), _("glossary"), _("segments"), "chrF", "BLEU", _("converted"), _("left"), _("names kept"),
            _("terms followed"), _("seconds")]
    rows = [head]
    for r in runs:
        names = f"{r.names_kept}/{r.names_expected}" if r.names_expected else "-"
        terms = f"{r.terms_followed}/{r.terms_checked}" if r.terms_checked else "-"
        rows.append([r.direction, _("with") if r.mode == "glossary" else _("without"), str(r.segments), f"{r.chrf:.1f}",
                     f"{r.bleu:.1f}", str(r.converted), str(r.remaining), names, terms, f"{r.seconds:.0f}"])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(head))]
    lines = [_("Evaluation with {model}").format(model=model)]
    for row in rows:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    lines.append(gettext(LEGEND))
    return lines


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


LEGEND = N_("converted: Simplified characters the HK script guard converted; left: Simplified-only characters "
            "left after it (should be 0); names kept: protected names of the reference found in the output; "
            "terms followed: source terms whose glossary translation is in the output.")
