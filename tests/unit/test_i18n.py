"""Core messages in English and Hong Kong Chinese, and the catalogue's completeness."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hkpilot import i18n
from hkpilot.errors import DocumentEncrypted, ServerUnreachable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    i18n.set_language("en")


def test_error_renders_in_both_languages() -> None:
    err = DocumentEncrypted(name="a.docx")
    assert err.render() == "The file a.docx is protected by a password and cannot be opened."
    i18n.set_language("zh-HK")
    text = err.render()
    assert "a.docx" in text and "密碼" in text


def test_normalise_language() -> None:
    assert i18n.normalise_language("zh_HK.UTF-8") == "zh-HK"
    assert i18n.normalise_language("zh_TW") == "zh-HK"
    assert i18n.normalise_language("en_GB") == "en"
    assert i18n.normalise_language(None) == "en"


def test_params_survive_translation() -> None:
    i18n.set_language("zh-HK")
    assert "http://h" in ServerUnreachable(url="http://h", detail="ConnectError").render()


def test_every_core_message_translated() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "po_extract.py"), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_catalogue_uses_hong_kong_wording() -> None:
    text = (ROOT / "translations" / "hkpilot_zh_HK.po").read_text(encoding="utf-8")
    msgstrs = " ".join(line for line in text.splitlines() if line.startswith("msgstr"))
    for mainland_or_simplified in ("文件夹", "保存", "设置", "软件", "文档", "默认", "信息"):
        assert mainland_or_simplified not in msgstrs, mainland_or_simplified


def test_parse_po_skips_fuzzy(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text('msgid "A"\nmsgstr "甲"\n\n#, fuzzy\nmsgid "B"\nmsgstr "乙"\n\nmsgid "C"\nmsgstr ""\n"丙"\n', encoding="utf-8")
    assert i18n.parse_po(po) == {"A": "甲", "C": "丙"}
