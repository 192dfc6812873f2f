"""The CLI end to end, as a user runs it: real documents, the real starter model."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document as Docx

pytestmark = pytest.mark.model


def hkpilot(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hkpilot", *args], capture_output=True, text=True, env=env, timeout=timeout)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def sample_docx(tmp_path: Path) -> Path:
    d = Docx()
    d.add_heading("Public Libraries", 1)
    d.add_paragraph("The department manages many public libraries in Hong Kong.")
    p = d.add_paragraph("Opening hours will be extended on ")
    p.add_run("public holidays").bold = True
    d.add_paragraph("Members of the public may borrow up to eight items.", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "District", (0, 1): "Libraries", (1, 0): "Central", (1, 1): "5"}.items():
        table.cell(r, c).text = text
    d.sections[0].header.paragraphs[0].text = "Internal document"
    path = tmp_path / "sample.docx"
    d.save(str(path))
    return path


@pytest.fixture
def env_with_model(cli_env: dict[str, str], starter_model: Path) -> dict[str, str]:
    return cli_env | {"HKPILOT_POLICY": str(Path(cli_env["HKPILOT_HOME"]) / "none.toml")}


def test_translate_docx_to_chinese(
    sample_docx: Path, tmp_path: Path, env_with_model: dict[str, str], starter_model: Path
) -> None:
    before = _sha(sample_docx)
    out = tmp_path / "out.docx"
    r = hkpilot("translate", str(sample_docx), "--to", "zh-HK", "-o", str(out), "--model", str(starter_model), env=env_with_model)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(out)
    assert "Translating" in r.stderr  # progress on stderr, the path alone on stdout
    assert _sha(sample_docx) == before  # the source is byte-identical
    src, dst = Docx(str(sample_docx)), Docx(str(out))
    assert len(dst.paragraphs) == len(src.paragraphs) and len(dst.tables) == len(src.tables)
    texts = [p.text for p in dst.paragraphs if p.text.strip()] + [c.text for c in dst.tables[0]._cells]
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts) >= len(texts) - 2  # "5" stays "5"
    assert [p.style.name for p in dst.paragraphs] == [p.style.name for p in src.paragraphs]


def test_translate_txt_back_to_english(tmp_path: Path, env_with_model: dict[str, str], starter_model: Path) -> None:
    src = tmp_path / "notice.txt"
    src.write_text("辦事處將於星期一關閉。\n\n如有查詢，請致電熱線。\n", encoding="utf-8")
    r = hkpilot("translate", str(src), "--to", "en", "--model", str(starter_model), env=env_with_model)
    assert r.returncode == 0, r.stderr
    out = Path(r.stdout.strip())
    assert out.name == "notice.en.docx"
    paras = [p.text for p in Docx(str(out)).paragraphs if p.text.strip()]
    assert len(paras) == 2 and all(any(c.isascii() and c.isalpha() for c in p) for p in paras)


def test_summarise_and_draft(sample_docx: Path, tmp_path: Path, env_with_model: dict[str, str], starter_model: Path) -> None:
    r = hkpilot("summarise", str(sample_docx), "--length", "short", "--model", str(starter_model), env=env_with_model)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip()) > 20 and "100%" in r.stderr
    out = tmp_path / "memo.docx"
    r = hkpilot(
        "draft",
        "--type",
        "memo",
        "--lang",
        "en",
        "--points",
        "Office closed on 1 July",
        "-o",
        str(out),
        "--model",
        str(starter_model),
        env=env_with_model,
    )
    assert r.returncode == 0, r.stderr
    assert any(p.text.strip() for p in Docx(str(out)).paragraphs)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["translate", "{missing}", "--to", "zh-HK"], 3),
        (["translate", "{empty}", "--to", "zh-HK"], 3),
        (["translate", "{garbage}", "--to", "zh-HK"], 3),
        (["translate", "{doc}", "--to", "klingon"], 2),
        (["draft", "--type", "poem", "--lang", "en", "--points", "x"], 2),
        (["translate", "{doc}", "--to", "zh-HK", "--model", "{missing}"], 4),
        (["translate", "{doc}", "--to", "zh-HK", "--server-url", "http://127.0.0.1:9", "--server-model", "m"], 4),
        (["translate", "{doc}", "--to", "zh-HK", "-o", "{doc}"], 3),
    ],
)
def test_exit_codes(args: list[str], code: int, sample_docx: Path, tmp_path: Path, env_with_model: dict[str, str]) -> None:
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "garbage.docx").write_bytes(b"\x00\x01 not a zip " * 50)
    names = {
        "{missing}": str(tmp_path / "nope.docx"),
        "{empty}": str(tmp_path / "empty.docx"),
        "{garbage}": str(tmp_path / "garbage.docx"),
        "{doc}": str(sample_docx),
    }
    r = hkpilot(*[names.get(a, a) for a in args], env=env_with_model)
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip()


def test_policy_refusal_exits_5(sample_docx: Path, cli_env: dict[str, str], tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[locked]\n"engine.kind" = "local"\n', encoding="utf-8")
    r = hkpilot(
        "translate", str(sample_docx), "--to", "zh-HK", "--engine", "server", env=cli_env | {"HKPILOT_POLICY": str(policy)}
    )
    assert r.returncode == 5 and "administrator" in r.stderr


def test_messages_in_chinese(tmp_path: Path, cli_env: dict[str, str]) -> None:
    r = hkpilot("--lang", "zh-HK", "translate", str(tmp_path / "nope.docx"), "--to", "zh-HK", env=cli_env)
    assert r.returncode == 3 and "找不到檔案" in r.stderr


def test_version_is_fast(cli_env: dict[str, str]) -> None:
    t = time.monotonic()
    r = hkpilot("--version", env=cli_env)
    assert r.returncode == 0 and r.stdout.startswith("HKPilot ")
    assert time.monotonic() - t < 10  # generous: a shared machine; the benchmark measures it properly


def test_models_list_and_verify(cli_env: dict[str, str], starter_model: Path) -> None:
    r = hkpilot("models", "verify", str(starter_model), env=cli_env)
    assert r.returncode == 0 and "verified" in r.stdout
    r = hkpilot("models", "list", env=cli_env)
    assert r.returncode == 0 and "not installed" in r.stdout  # fresh HKPILOT_HOME


def test_ctrl_c_cancels_with_130(sample_docx: Path, tmp_path: Path, env_with_model: dict[str, str], starter_model: Path) -> None:
    import signal

    proc = subprocess.Popen(
        [sys.executable, "-m", "hkpilot", "summarise", str(sample_docx), "--length", "long", "--model", str(starter_model)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_with_model,
    )
    assert proc.stderr is not None
    proc.stderr.readline()  # the first progress line: the job is running
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
