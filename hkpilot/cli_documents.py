"""CLI pieces for documents: output options (``--layout``, ``--force``) and the
``inspect`` / ``compare`` fidelity commands. Heavy modules load inside the commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hkpilot.errors import OutputExists
from hkpilot.i18n import N_, gettext

_ = gettext
LAYOUTS = ("replace", "side-by-side", "interleaved")


def add_output_options(p: argparse.ArgumentParser, layout: bool = False) -> None:
    """``--force`` (and for translation ``--layout``) on a command that writes ``-o``."""
    p.add_argument("--force", action="store_true", help=_("replace the output file if it exists"))
    if layout:
        p.add_argument(
            "--layout",
            choices=LAYOUTS,
            default="replace",
            help=_("replace: translated copy; side-by-side: source | translation table; interleaved: source then translation"),
        )


def add_document_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    i = sub.add_parser("inspect", help=_("count a document's structure (fidelity report)"))
    i.add_argument("input", type=Path)
    i.add_argument("--password", help=_("password of an encrypted PDF"))
    i.add_argument("--json", action="store_true", help=_("print the counts as JSON"))
    c = sub.add_parser("compare", help=_("say what structure a translation lost against its source"))
    c.add_argument("source", type=Path)
    c.add_argument("translated", type=Path)
    c.add_argument("--json", action="store_true", help=_("print the comparison as JSON"))


def refuse_existing(output: Path | None, force: bool) -> None:
    """An existing output is replaced only with ``--force`` (exit 3 otherwise)."""
    if output is not None and not force and Path(output).exists():
        raise OutputExists(path=str(output))


def run_document_command(args: argparse.Namespace) -> int:
    from hkpilot.documents import fidelity

    if args.command == "inspect":
        from hkpilot.cli_security import provenance_lines
        from hkpilot.documents.provenance import read_properties

        report = fidelity.inspect(args.input, password=args.password)
        if args.json:
            print(json.dumps({"file": str(report.path), "format": report.format, "counts": report.counts,
                              "provenance": read_properties(report.path)}, ensure_ascii=False))
        else:
            print(f"{report.path.name} ({report.format})")
            for key, n in report.counts.items():
                print(f"  {_(fidelity.LABELS.get(key, key))}: {n}")
            for line in provenance_lines(report.path):  # HKPilot.* properties of an output
                print(line)
        return 0
    comparison = fidelity.compare(args.source, args.translated)
    if args.json:
        data = {
            "source": comparison.source.counts,
            "translated": comparison.translated.counts,
            "lost": comparison.lost,
            "changed": comparison.changed,
        }
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for key, n in comparison.source.counts.items():
        m = comparison.translated.counts.get(key, 0)
        mark = " !" if key in comparison.lost else ""
        print(f"  {_(fidelity.LABELS.get(key, key))}: {n} -> {m}{mark}")
    if comparison.lost:
        names = ", ".join(_(fidelity.LABELS.get(k, k)) for k in comparison.lost)
        print(_("Lost in the translation: {items}").format(items=names))
    else:
        print(_(N_("No structure was lost.")))
    sys.stdout.flush()
    return 0
