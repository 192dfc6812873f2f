"""``hkpilot gui --screenshots DIR`` renders every pane and dialog in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("1-draft", "2-translate", "3-summarise", "4-batch", "5-history", "6-model-manager", "7-settings",
         "8-shortcuts", "9-too-long", "10-crash", "11-about", "12-bilingual", "13-save-dialog")


def distinct_colours(path: Path) -> int:
    """How many colours a sample of the picture's pixels has (a blank grab has one or two)."""
    image = QImage(str(path))
    assert not image.isNull(), path
    step_x, step_y = max(image.width() // 60, 1), max(image.height() // 60, 1)
    return len({image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)})


def test_screenshots_command_renders_both_languages(tmp_path: Path, qm_catalogue: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "hkpilot", "gui", "--screenshots", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    written = {Path(line).name for line in done.stdout.split()}
    expected = {f"{lang}-{name}.png" for lang in ("en", "zh_HK") for name in NAMES}
    assert written == expected and {p.name for p in out.iterdir()} == expected
    for name in expected:
        assert distinct_colours(out / name) > 8, name
    main_en, main_zh = QImage(str(out / "en-2-translate.png")), QImage(str(out / "zh_HK-2-translate.png"))
    assert main_en.width() >= 1000 and main_en.size() == main_zh.size()
    assert main_en != main_zh  # the Chinese window is really drawn in Chinese
