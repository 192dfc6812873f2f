"""Command-line parts of the language-quality checks.

``translate --glossary FILE --report [FILE]``, the findings printed after ``summarise``
and ``draft``, and the commands ``check-bilingual``, ``check-format`` and ``eval``.
Reports go to stderr (or to a file); the result itself stays on stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkpilot.errors import UsageError
from hkpilot.i18n import gettext

if TYPE_CHECKING:
    from hkpilot.engines.base import CancelToken
    from hkpilot.tasks.events import Result

_ = gettext
COMMANDS = ("check-bilingual", "check-format", "eval", "rewrite")
REWRITE_ACTIONS = ("shorter", "longer", "formal", "plain", "grammar", "translate")
DOC_TYPES = ("memo", "letter", "circular", "press-release", "legco-reply", "minutes")


def add_translate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--glossary", action="append", type=Path, metavar="FILE",
                   help=_("glossary (.xlsx, .csv, .tbx) or translation memory (.tmx); may be repeated"))
    p.add_argument("--report", nargs="?", const="-", metavar="FILE",
                   help=_("list script changes and glossary violations (on stderr, or in FILE)"))


def add_draft_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--field", action="append", default=[], metavar="KEY=VALUE",
                   help=_("a template field (our_ref, addressee, signer...) for the parts the draft lacks"))


def fields(args: argparse.Namespace) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in getattr(args, "field", []) or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(detail=f"--field {item}")
        out[key.strip()] = value.strip()
    return out


def add_quality_commands(sub: argparse._SubParsersAction, engine_options: Any) -> None:  # type: ignore[type-arg]
    b = sub.add_parser("check-bilingual", help=_("list numbers, dates, amounts and references that differ between "
                                                 "the English and Chinese versions"))
    b.add_argument("english", type=Path)
    b.add_argument("chinese", type=Path)
    b.add_argument("--report", metavar="FILE", help=_("also write the list to FILE"))

    f = sub.add_parser("check-format", help=_("check a draft against its document type's format"))
    f.add_argument("input", type=Path)
    f.add_argument("--type", dest="doc_type", required=True, choices=DOC_TYPES)
    f.add_argument("--lang", dest="out_lang", choices=("en", "zh-HK"), default="en")

    e = sub.add_parser("eval", help=_("score translations on the Hong Kong evaluation set"))
    e.add_argument("--segments", dest="eval_set", type=Path, metavar="TSV", help=_("evaluation segments (default: tests/eval)"))
    e.add_argument("--glossary", dest="eval_glossary", type=Path, metavar="FILE", help=_("glossary for the set"))
    e.add_argument("--limit", type=int, default=0, metavar="N", help=_("only the first N segments"))
    e.add_argument("--direction", choices=("both", "en-zh", "zh-en"), default="both")
    e.add_argument("--compare", action="store_true", help=_("also translate without the glossary (before/after)"))
    engine_options(e)

    r = sub.add_parser("rewrite", help=_("rewrite a passage: shorter, longer, more formal, plain language, "
                                         "grammar fixed, or translated"))
    r.add_argument("action", choices=REWRITE_ACTIONS)
    r.add_argument("text", help=_("the passage (text, @file to read it from a file, or - for standard input)"))
    r.add_argument("--to", dest="rewrite_lang", choices=("en", "zh-HK"),
                   help=_("language of the result (default: the passage's; for translate, the other one)"))
    engine_options(r)


def write_report(lines: list[str], destination: str | None) -> None:
    """Lines to stderr (``-`` or None) or, atomically, to a file."""
    if not lines:
        lines = [_("No findings.")]
    if destination in (None, "-"):
        sys.stderr.write("\n".join(lines) + "\n")
        return
    from hkpilot.atomic import atomic_write_text

    atomic_write_text(Path(str(destination)), "\n".join(lines) + "\n")


def translate_report(result: Result | None, args: argparse.Namespace) -> None:
    """With ``--report``, every finding; without it, one line of counts when there is something to see."""
    from hkpilot.tasks.quality import items, report_lines

    if result is None:
        return
    if args.report:
        write_report(report_lines(result.findings), args.report)
        return
    violations = sum(len(c.violations) for c in items(result.findings, "glossary"))
    changes = sum(c.count for c in items(result.findings, "script"))
    if violations or changes:
        sys.stderr.write(_("Script guard changes: {changes}; glossary violations: {violations} (--report lists them).")
                         .format(changes=changes, violations=violations) + "\n")


def findings_to_stderr(result: Result | None) -> None:
    from hkpilot.tasks.quality import report_lines

    if result is not None and result.findings:
        lines = report_lines([f for f in result.findings if f.kind != "script"])
        if lines:
            sys.stderr.write("\n".join(lines) + "\n")


def run_quality_command(args: argparse.Namespace, session_for: Any, cancel: CancelToken) -> int:
    if args.command == "check-bilingual":
        return _check_bilingual(args, session_for)
    if args.command == "check-format":
        return _check_format(args)
    if args.command == "rewrite":
        return _rewrite(args, session_for, cancel)
    return _eval(args, session_for, cancel)


def _rewrite(args: argparse.Namespace, session_for: Any, cancel: CancelToken) -> int:
    from hkpilot.cli import _run_job
    from hkpilot.tasks.languages import is_chinese

    text = args.text
    try:
        if text == "-":
            text = sys.stdin.read()
        elif text.startswith("@"):
            text = Path(text[1:]).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(detail=f"{args.text}: {type(exc).__name__}") from exc
    lang = args.rewrite_lang or ("" if args.action == "translate" else "zh-HK" if is_chinese(text) else "en")
    session = session_for(args)
    result = _run_job(session.rewrite_job(text, args.action, lang, cancel), _("Rewriting"))
    findings_to_stderr(result)  # numbers, dates or amounts the rewrite changed
    print(result.text if result is not None else "")
    return 0


def _check_bilingual(args: argparse.Namespace, session_for: Any) -> int:
    from hkpilot.tasks.bilingual_check import compare

    session = session_for(args)
    report = compare(session.open_document(args.english), session.open_document(args.chinese))
    lines = bilingual_lines(report)
    print("\n".join(lines))
    if args.report:
        write_report(lines, args.report)
    return 0


def bilingual_lines(report: Any) -> list[str]:
    lines = [_("Paragraphs: {en} in English, {zh} in Chinese.").format(en=report.en_paragraphs, zh=report.zh_paragraphs)]
    if report.ok:
        return [*lines, _("No differences found in numbers, dates, amounts, percentages, references or web addresses.")]
    lines.append(_("{count} differences:").format(count=len(report.items)))
    for d in report.items:
        if d.kind == "paragraphs":
            lines.append("  " + _("paragraph counts differ: {en} / {zh}").format(en=d.english, zh=d.chinese))
            continue
        lines.append("  " + _("{kind} {value}: {en}× in English [{en_at}], {zh}× in Chinese [{zh_at}]").format(
            kind=d.label(), value=d.value, en=d.english, zh=d.chinese, en_at=d.en_anchor or "-", zh_at=d.zh_anchor or "-"))
    return lines


def _check_format(args: argparse.Namespace) -> int:
    from hkpilot.documents.loader import load_document
    from hkpilot.tasks.events import Finding
    from hkpilot.tasks.format_check import check_format, load_spec
    from hkpilot.tasks.quality import report_lines

    path = Path(args.input)
    doc = load_document(path)  # the same checks and typed errors as every command, whatever the name
    if doc.format == "txt":
        from hkpilot.documents.txt_reader import decode_text

        text = decode_text(path.read_bytes())[0]  # the draft's own lines and blank lines
    else:
        text = "\n".join(b.text for b in doc.text_blocks)
    report = check_format(text, load_spec(args.doc_type, args.out_lang))
    print("\n".join(report_lines([Finding("format", [report])])))
    return 0


def _eval(args: argparse.Namespace, session_for: Any, cancel: CancelToken) -> int:
    from hkpilot.tasks.evaluation import default_set, load_segments, score_run, table
    from hkpilot.tasks.glossary import load_glossary

    path = args.eval_set or default_set()
    segments = load_segments(path)[: args.limit or None]
    gloss_path = args.eval_glossary or path.with_name("glossary.csv")
    glossary = load_glossary([gloss_path]) if gloss_path.is_file() else None
    session = session_for(args)
    engine = session.engine()
    runs = []
    targets = {"both": ("zh-HK", "en"), "en-zh": ("zh-HK",), "zh-en": ("en",)}[args.direction]
    for target in targets:
        modes = [None, glossary] if args.compare and glossary else [glossary]
        for mode in modes:
            label = _("Evaluating {direction}").format(direction=("en>" + target) if target != "en" else "zh-HK>en")
            sys.stderr.write(label + "\n")
            runs.append(score_run(engine, segments, target, mode, glossary, cancel))
    print("\n".join(table(runs, session.engine_label())))
    return 0




def style_draft(output: Path, doc_type: str) -> None:
    """A draft saved as .docx gets its template's styling."""
    if Path(output).suffix.lower() == ".docx":
        from hkpilot.documents.styled_docx import apply_style, template_style

        apply_style(Path(output), template_style(doc_type))
