"""CLI commands for administrators: model bundles, the machine-wide models folder, the update check.

Kept apart from ``cli.py`` so that the main command table stays short; ``cli.py`` adds
the options with ``add_bundle_options`` and calls ``cmd_models_admin``/``cmd_check_update``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from hkpilot.engines.gguf import GGUFInfo
from hkpilot.errors import UsageError
from hkpilot.i18n import N_, gettext

_ = gettext


def add_bundle_options(p: argparse.ArgumentParser) -> None:
    """Options of ``hkpilot models pack|import``."""
    p.add_argument("-o", "--output", type=Path, metavar="BUNDLE", help=_("bundle file to write (models pack)"))
    p.add_argument("--licence", "--license", dest="licence", default="", help=_("licence to record when the GGUF names none"))
    p.add_argument("--machine", action="store_true", help=_("import into the machine-wide models folder (administrators)"))
    p.add_argument("--to", dest="target", type=Path, metavar="DIR", help=_("import into this folder"))


def machine_models_dir() -> Path:
    """The machine-wide models folder that policy or the installer set (or the platform's)."""
    from hkpilot.config.machine import shared_models_dir
    from hkpilot.config.settings import Settings

    settings = Settings()
    return shared_models_dir(settings.policy.extra, settings.installer.extra)


def all_models() -> Iterator[tuple[Path, GGUFInfo | None, str]]:
    """The user's models, then those in the machine-wide folder."""
    from hkpilot.engines.catalogue import list_models

    yield from list_models()
    shared = machine_models_dir()
    if shared.is_dir():
        yield from list_models(shared)


def _mb(done: int, total: int) -> None:
    sys.stderr.write(f"\r{done >> 20}/{total >> 20} MB")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def cmd_models_admin(args: argparse.Namespace) -> int:
    """``hkpilot models pack GGUF... -o BUNDLE`` and ``hkpilot models import BUNDLE``."""
    from hkpilot import paths
    from hkpilot.engines import bundles

    progress = _mb if sys.stderr.isatty() else None
    if args.action == "pack":
        if not args.path or args.output is None:
            raise UsageError(detail="models pack GGUF... -o BUNDLE")
        entries = bundles.pack(list(args.path), args.output, licence=args.licence, progress=progress)
        for e in entries:
            print(f"{e.file}\t{e.size / 2**20:.0f} MB\t{e.sha256}\t{e.licence}")
        print(args.output)
        return 0
    if len(args.path) != 1:
        raise UsageError(detail="models import BUNDLE [--machine | --to DIR]")
    target = args.target or (machine_models_dir() if args.machine else paths.models_dir())
    for model, state in bundles.import_bundle(args.path[0], target, progress=progress):
        message = N_("{name}: SHA-256 verified, imported") if state == "imported" else N_("{name}: already present, unchanged")
        print(_(message).format(name=model.file))
    print(target)
    return 0


def cmd_check_update(args: argparse.Namespace) -> int:
    """``hkpilot check-update``: ask the policy's internal address, if there is one."""
    from hkpilot.app.updates import check_for_update, update_status, update_url
    from hkpilot.config.settings import Settings

    settings = Settings()
    print(update_status(settings))
    if update_url(settings) is None:
        return 0
    info = check_for_update(settings)
    if info is None:
        print(_("No newer version announced."))
    else:
        print(_("HKPilot {version} is available: {url}").format(version=info.version, url=info.url))
    return 0
