"""Every bad file of the corpus, fed to every command that takes a document, in-process:
exit code 3, one line on stderr, no traceback, quickly, the file unchanged, no output left.

(tests/integration/test_cli_documents.py runs ``translate`` as a separate process on the
same files; this covers the other commands without paying an interpreter start each.)
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from hkpilot.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BAD = sorted(p for p in (CORPUS / "bad").iterdir() if p.is_file())
GOOD_EN = CORPUS / "generated" / "rich_word.docx"
GOOD_ZH = CORPUS / "generated" / "rich_word_zh.docx"
NO_MODEL = "no-such-model.gguf"  # a command that got as far as the model would fail with exit 4, not 3


def commands(bad: str, out: str) -> dict[str, list[str]]:
    return {
        "translate": ["translate", bad, "--to", "zh-HK", "-o", out + ".docx", "--model", NO_MODEL],
        "translate-pdf": ["translate", bad, "--to", "en", "-o", out + ".pdf", "--model", NO_MODEL],
        "summarise": ["summarise", bad, "-o", out + ".txt", "--model", NO_MODEL],
        "inspect": ["inspect", bad],
        "compare-source": ["compare", bad, str(GOOD_EN)],
        "compare-translated": ["compare", str(GOOD_EN), bad],
        "check-bilingual-en": ["check-bilingual", bad, str(GOOD_ZH)],
        "check-bilingual-zh": ["check-bilingual", str(GOOD_EN), bad],
        "check-format": ["check-format", bad, "--type", "memo"],
        "draft-reference": ["draft", "--type", "memo", "--points", "x", "--reference", bad, "-o", out + ".docx",
                            "--model", NO_MODEL],
        "review": ["review", bad],
    }


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_every_command_refuses_a_bad_file_in_one_line(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sha(path)
    for name, argv in commands(str(path), str(tmp_path / "out")).items():
        start = time.monotonic()
        code = main(["--lang", "en", *argv])
        took = time.monotonic() - start
        err = capsys.readouterr().err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 3, (name, err)
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in err, (name, err)
        assert took < 10, (name, took)
    assert sha(path) == before
    assert list(tmp_path.iterdir()) == []  # no output, not even a partial one


def test_oversized_file_is_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sparse files past the size limit: refused from their size, in a moment."""
    for name, head in (("huge.docx", GOOD_EN.read_bytes()), ("huge.pdf", b"%PDF-1.7\n"), ("huge.txt", b"text\n")):
        path = tmp_path / name
        with open(path, "wb") as f:
            f.write(head)
            f.truncate(600 * 1024 * 1024)
        for argv in (["inspect", str(path)], ["check-format", str(path), "--type", "memo"]):
            start = time.monotonic()
            assert main(["--lang", "en", *argv]) == 3
            assert "too large" in capsys.readouterr().err
            assert time.monotonic() - start < 5
