"""CLI pieces for security: ``--classification``, ``server set-key``, ``audit verify``,
``review`` and the provenance lines of ``inspect``. Heavy modules load inside the commands.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkpilot.errors import KeyringMissing, UsageError
from hkpilot.i18n import N_, gettext

if TYPE_CHECKING:
    from hkpilot.app.session import Session
    from hkpilot.documents.model import Document

_ = gettext
COMMANDS = ("audit", "review")


def add_classification_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--classification", metavar="LEVEL",
        help=_("treat the document as marked LEVEL (e.g. RESTRICTED); a detected marking can only be raised"),
    )


def add_security_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    a = sub.add_parser("audit", help=_("check the audit trail's hash chain"))
    a.add_argument("action", choices=("verify",))
    a.add_argument("path", nargs="?", type=Path, help=_("audit log (default: the one the policy names)"))
    r = sub.add_parser("review", help=_("mark an HKPilot output as reviewed (removes its machine-output label)"))
    r.add_argument("output", type=Path)
    r.add_argument("--by", metavar="NAME", help=_("reviewer's name (default: your user name)"))


def apply_classification(session: Session, docs: list[Document], args: argparse.Namespace) -> None:
    """Say each document's level on stderr, after the person's ``--classification`` if given.

    A document the engine may not receive gets no such line: the job's refusal (exit 5,
    recorded in the audit trail) is then the one line said about it.
    """
    from hkpilot.app.classification import allowed_on

    requested = getattr(args, "classification", None)
    guard = session.guard
    for doc in docs:
        if requested:
            session.set_classification(doc, requested)
        level = guard.level_of(doc)
        if level.rank and allowed_on(guard.scheme, guard.policy, guard.engine_kind(), level):
            sys.stderr.write(_("{name} is marked {level}.").format(name=doc.path.name, level=level.display()) + "\n")


@contextlib.contextmanager
def result_provenance(result: Any) -> Iterator[None]:
    """Writes in this block carry the provenance of the job that produced ``result``."""
    from hkpilot.documents import provenance

    prov = getattr(result, "stats", {}).get("provenance") if result is not None else None
    with provenance.using(prov):
        yield


def read_key() -> str:
    """The API key from a hidden prompt, or the first line of stdin when it is not a terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(_("API key (not shown): "))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.strip()


def cmd_set_key(settings: Any) -> int:
    """``hkpilot server set-key``: the key goes to the OS keyring, never to a file or argv."""
    from hkpilot.config.secrets import KeyringUnavailable, set_api_key

    url = str(settings.get("server.url") or "").strip()
    if not url:
        raise UsageError(detail=_("no server URL: give --server-url or set server.url"))
    key = read_key()
    try:
        set_api_key(url, key)
    except KeyringUnavailable as exc:
        raise KeyringMissing() from exc
    print(_("The API key for {url} is stored in the system keyring.").format(url=url) if key
          else _("The API key for {url} was removed from the system keyring.").format(url=url))
    return 0


def run_security_command(args: argparse.Namespace) -> int:
    if args.command == "audit":
        return _audit_verify(args.path)
    return _review(args.output, args.by)


def _audit_verify(path: Path | None) -> int:
    from hkpilot.app import audit
    from hkpilot.config.security import SecurityPolicy
    from hkpilot.config.settings import Settings

    path = path or SecurityPolicy.of(Settings()).audit_log
    if path is None:
        raise UsageError(detail=_("no audit log: give its path, or the policy does not ask for one"))
    if not Path(path).is_file():
        raise UsageError(detail=_("no audit log at {path}").format(path=path))
    result = audit.verify(Path(path))
    if result.ok:
        print(_("{path}: {count} entries, the chain is intact.").format(path=path, count=result.entries))
        return 0
    print(_("{path}: the chain is broken at line {line}: {reason}. The {count} entries before it are intact.").format(
        path=path, line=result.broken_line, reason=_(result.reason), count=result.entries))
    return 1


def _review(output: Path, by: str | None) -> int:
    from hkpilot.app.audit import os_user
    from hkpilot.documents import provenance
    from hkpilot.documents.loader import load_document
    from hkpilot.documents.safety import parse_boundary
    from hkpilot.errors import DocumentEmpty

    try:
        load_document(output)  # a missing, damaged or hostile file: the typed error (exit 3) every command gives
    except DocumentEmpty:
        if not output.stat().st_size:
            raise
        # a document without text may still be an output to mark as reviewed
    if output.suffix.lower() not in (".docx", ".xlsx") or not provenance.read_properties(output):
        raise UsageError(detail=_("{name} is not a Word or Excel file written by HKPilot").format(name=output.name))
    with parse_boundary(output.name, "Word" if output.suffix.lower() == ".docx" else "Excel"):
        provenance.mark_reviewed(output, by or os_user())
    print(_("Marked as reviewed: {path}").format(path=output))
    return 0


def provenance_lines(path: Path) -> list[str]:
    """``inspect``'s provenance section: the HKPilot properties of an output, if any."""
    from hkpilot.documents import provenance

    props = provenance.read_properties(path)
    if not props:
        return []
    lines = [_(N_("Written by HKPilot:"))]
    lines += [f"  {name[len(provenance.PREFIX):]}: {value}" for name, value in props.items()]
    return lines
