"""Gather what the checks found onto a job's Result, and write it out for a person to review.

Tasks yield ``Finding`` events as they go (script changes per block, a glossary check per
segment); ``collect`` folds them onto the final ``Result.findings`` (script changes merged,
with counts and anchors), so both faces read one list. ``report_lines`` renders that list
as text (the CLI's ``--report``); the GUI lists the same items in tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkpilot.documents.model import Document
from hkpilot.i18n import N_, gettext
from hkpilot.tasks.events import Event, Finding, Notice, Result

if TYPE_CHECKING:
    from hkpilot.tasks.glossary import Glossary

_ = gettext
MAX_ANCHORS = 3


After = Callable[[Result], list[Finding | Notice]]


def collect(events: Iterable[Event], after: After | None = None) -> Iterator[Event]:
    """Pass ``events`` on, keeping Findings back and putting them, merged, on the Result.

    ``after(result)`` adds the checks that need the whole output (citations of a summary);
    the Notices it returns come just before the Result.
    """
    found: list[Finding] = []
    for event in events:
        if isinstance(event, Finding):
            found.append(event)
            continue
        if isinstance(event, Result):
            extra = after(event) if after else []
            yield from (e for e in extra if isinstance(e, Notice))
            event.findings = merge([*found, *event.findings, *(e for e in extra if isinstance(e, Finding))])
        yield event


def job_glossary(paths: list[Path] | None, policy_extra: dict[str, Any]) -> Glossary | None:
    """The glossary a translation uses: the files given, else the department's default."""
    from hkpilot.tasks.glossary import load_glossary, policy_glossaries

    chosen = paths if paths is not None else policy_glossaries(policy_extra)
    return load_glossary(chosen) if chosen else None


def summary_checks(doc: Document) -> After:
    def check(result: Result) -> list[Finding | Notice]:
        from hkpilot.tasks.citations import attribute, check_summary, drop_bare_citations, drop_unknown

        result.text = drop_bare_citations(result.text)  # "  - [p:2]" lines under a point
        result.text, removed = drop_unknown(doc, result.text)  # anchors the document does not have
        result.text, added = attribute(doc, result.text)  # points the model left uncited, matched by wording
        report = check_summary(doc, result.text, result.coverage)
        report.attributed, report.removed = added, removed
        out: list[Finding | Notice] = [Finding("citations", [report])]
        if report.unsupported:
            out.append(Notice(QUOTES_UNSUPPORTED, {"count": len(report.unsupported)}))
        if report.unsupported_figures:
            out.append(Notice(FIGURES_UNSUPPORTED, {"count": len(report.unsupported_figures)}))
        if report.removed or report.unknown:
            out.append(Notice(ANCHORS_UNKNOWN, {"count": len({line for line, _a in report.removed}) + len(report.unknown)}))
        return out

    return check


def rewrite_checks(source: str) -> After:
    def check(result: Result) -> list[Finding | Notice]:
        from hkpilot.tasks.bilingual_check import extract
        from hkpilot.tasks.languages import is_chinese

        before = extract(source, "zh-HK" if is_chinese(source) else "en")
        after = extract(result.text, "zh-HK" if is_chinese(result.text) else "en")
        changed = [f"{value} ({before[(kind, value)]}→{after[(kind, value)]})"
                   for kind, value in sorted(set(before) | set(after)) if before[(kind, value)] != after[(kind, value)]]
        return [Finding("numbers", changed), Notice(NUMBERS_CHANGED)] if changed else []

    return check


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One Finding per kind; script changes merged by (original, converted, kind)."""
    from hkpilot.tasks.script_guard import merge_changes

    by_kind: dict[str, list[Any]] = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).extend(f.items)
    if "script" in by_kind:
        by_kind["script"] = merge_changes(by_kind["script"])
    return [Finding(kind, items) for kind, items in by_kind.items() if items]


def items(findings: Iterable[Finding], kind: str) -> list[Any]:
    return [item for f in findings if f.kind == kind for item in f.items]


def _anchors(anchors: list[str]) -> str:
    if not anchors:
        return ""
    more = len(anchors) - MAX_ANCHORS
    shown = ", ".join(anchors[:MAX_ANCHORS]) + (f" +{more}" if more > 0 else "")
    return f" [{shown}]"


def report_lines(findings: list[Finding]) -> list[str]:
    """The findings as lines of text in the UI language, section by section."""
    lines: list[str] = []
    for render in (_script, _memory, _glossary, _citations, _format, _numbers):
        lines += render(findings)
    return lines


def _script(findings: list[Finding]) -> list[str]:
    from hkpilot.tasks.script_guard import KEPT, PROTECTED, REMAINING, SCRIPT

    changes = items(findings, "script")
    if not changes:
        return []
    converted = sum(len(c.original) * c.count for c in changes if c.kind == SCRIPT)
    names = sum(c.count for c in changes if c.kind in (PROTECTED, KEPT))
    lines = [_("Script guard: {changes} kinds of change, {chars} Simplified characters converted, {names} names protected.")
             .format(changes=len(changes), chars=converted, names=names)]
    for c in changes:
        arrow = f"{c.original} → {c.converted}" if c.kind != REMAINING else c.original
        lines.append(f"  {arrow}  ×{c.count}  {c.label()}{_anchors(c.anchors)}")
    return lines


def _memory(findings: list[Finding]) -> list[str]:
    uses = items(findings, "memory")
    return [_("Translation memory: {count} blocks taken from the memory.").format(count=len(uses))] if uses else []


def _glossary(findings: list[Finding]) -> list[str]:
    checks = items(findings, "glossary")
    if not checks:
        return []
    checked = sum(c.checked for c in checks)
    violations = [v for c in checks for v in c.violations]
    retried = sum(1 for c in checks if c.retried)
    lines = [_("Glossary: {checked} term uses checked, {missing} not followed ({retried} segments translated again).")
             .format(checked=checked, missing=len(violations), retried=retried)]
    for v in violations:
        lines.append("  " + _("[{anchor}] \"{term}\": the translation lacks \"{expected}\"").format(
            anchor=v.anchor or "-", term=v.source_term, expected=" / ".join(v.expected)))
    return lines


def _citations(findings: list[Finding]) -> list[str]:
    lines: list[str] = []
    for report in items(findings, "citations"):
        lines.append(report.coverage_line())
        cited = sum(1 for p in report.points if p.anchors)
        lines.append(_("Summary points: {points}, citing the source: {cited}.").format(points=len(report.points), cited=cited))
        for line, anchor in report.attributed:
            lines.append("  " + _("Line {line}: citation [{anchor}] added by HKPilot from matching wording").format(
                line=line, anchor=anchor))
        for line, anchor in report.removed:
            lines.append("  " + _("Line {line}: the model cited [{anchor}], which the document does not have; "
                                  "the citation was taken out").format(line=line, anchor=anchor))
        for p in report.uncited:
            lines.append("  " + _("Line {line}: no citation: {text}").format(line=p.line, text=p.text[:80]))
        for p in report.unknown:
            lines.append("  " + _("Line {line}: cites anchors the document does not have: {anchors}").format(
                line=p.line, anchors=", ".join(p.unknown)))
        for p in report.mismatched:
            lines.append("  " + _("Line {line}: the cited passage [{cited}] shares no wording with the point; "
                                  "it matches [{anchor}]").format(line=p.line, cited=", ".join(p.anchors), anchor=p.matches))
        for q in report.quotes:
            where = f" [{q.found_at}]" if q.found_at else ""
            lines.append("  " + _("Line {line}: quote \"{quote}\": {status}").format(
                line=q.line, quote=q.text[:80], status=q.label()) + where)
        for f in report.figures:
            where = f" [{f.found_at}]" if f.found_at else ""
            lines.append("  " + _("Line {line}: {figure}: {status}").format(
                line=f.line, figure=f.label(), status=f.status_label()) + where)
    return lines


def _format(findings: list[Finding]) -> list[str]:
    lines: list[str] = []
    for r in items(findings, "format"):
        if r.ok:
            lines.append(_("Format check: every part a {type} needs is there.").format(type=r.doc_type))
        else:
            lines.append(_("Format check: missing: {parts}").format(parts="; ".join(i.label() for i in r.missing)))
        if r.added:
            from hkpilot.tasks.format_check import FormatIssue

            added = "; ".join(FormatIssue(c).label() for c in r.added)
            lines.append(_("Added from the template: {parts}").format(parts=added))
        if r.dropped:
            lines.append(_("Removed {count} lines copied from the template's instructions.").format(count=r.dropped))
        if r.placeholders:
            lines.append(_("{count} bracketed parts are left to fill in.").format(count=r.placeholders))
    return lines


def _numbers(findings: list[Finding]) -> list[str]:
    lost = items(findings, "numbers")
    if not lost:
        return []
    return [_("Numbers that differ after the rewrite: {items}").format(items=", ".join(lost))]


NUMBERS_CHANGED = N_("The rewrite changed or dropped some numbers, dates or amounts; check them.")
QUOTES_UNSUPPORTED = N_("{count} quoted passages in the summary were not found in the document.")
FIGURES_UNSUPPORTED = N_("{count} numbers, dates or amounts in the summary were not found in the document.")
ANCHORS_UNKNOWN = N_("{count} summary points cited paragraphs the document does not have.")
