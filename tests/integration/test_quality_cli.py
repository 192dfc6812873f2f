"""Language-quality commands end to end: glossary and report on translate, citations after
summarise, the format check after draft, check-bilingual, check-format, eval."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as Docx

from hkpilot.tasks.format_check import check_format, load_spec
from hkpilot.tasks.glossary import load_glossary
from hkpilot.tasks.script_guard import find_simplified

# Simplified-only characters that Hong Kong text also uses (叁 on cheques, 秘書) or too rare to matter.
HK_ALSO = set("叁捝敚棁榅涚灶煴痴秘粽腽蒀")


def hkpilot(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hkpilot", *args], capture_output=True, text=True, env=env, timeout=timeout)


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    d = Docx()
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def test_check_bilingual_lists_what_differs(tmp_path, cli_env):
    en = make_docx(tmp_path / "en.docx", ["The fee is $2,000 from 1 May 2025 (Cap. 486).", "See www.gov.hk."])
    zh = make_docx(tmp_path / "zh.docx", ["費用由2025年5月1日起為2,500元（第486章）。", "見 www.gov.hk。", "多出一段。"])
    report = tmp_path / "diff.txt"
    r = hkpilot("check-bilingual", str(en), str(zh), "--report", str(report), env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "Paragraphs: 2 in English, 3 in Chinese." in r.stdout
    assert "paragraph counts differ: 2 / 3" in r.stdout
    assert "amount $2,000: 1× in English" in r.stdout and "amount $2,500: 0× in English" in r.stdout
    assert report.read_text(encoding="utf-8").strip() == r.stdout.strip()
    zh_cli = hkpilot("--lang", "zh-HK", "check-bilingual", str(en), str(zh), env=cli_env)
    assert "段落數目：英文 2 段，中文 3 段。" in zh_cli.stdout


def test_check_format_reports_what_is_missing(tmp_path, cli_env):
    draft = tmp_path / "letter.txt"
    draft.write_text("Dear Mr Chan,\n\nThank you for your letter of 03/05/2025.\n\nYours sincerely,\n", encoding="utf-8")
    r = hkpilot("check-format", str(draft), "--type", "letter", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "missing: reference-number line" in r.stdout and "03/05/2025" in r.stdout


def test_a_bad_glossary_fails_before_any_model_loads(tmp_path, cli_env):
    doc = make_docx(tmp_path / "a.docx", ["Hello."])
    bad = tmp_path / "terms.csv"
    bad.write_text("only one column\n", encoding="utf-8")
    r = hkpilot("translate", str(doc), "--to", "zh-HK", "--glossary", str(bad), "--model", str(tmp_path / "none.gguf"),
                env=cli_env)
    assert r.returncode == 3, r.stderr
    assert "glossary terms.csv cannot be used" in r.stderr


@pytest.fixture
def glossary_csv(tmp_path: Path) -> Path:
    path = tmp_path / "dept.csv"
    path.write_text("English,Chinese\nLegislative Council,立法會\nTuen Ma Line,屯馬綫\nTung Chung,東涌\n", encoding="utf-8")
    return path


@pytest.mark.model
def test_translate_with_the_department_glossary_reports_what_the_output_shows(tmp_path, cli_env, starter_model,
                                                                              glossary_csv):
    source = ["The Tuen Ma Line connects Tuen Mun and Wu Kai Sha.",
              "The Legislative Council met in Tung Chung today."]
    doc = make_docx(tmp_path / "notice.docx", source)
    policy = tmp_path / "policy.toml"
    policy.write_text(f'"glossary.default" = "{glossary_csv.as_posix()}"\n', encoding="utf-8")
    env = cli_env | {"HKPILOT_POLICY": str(policy)}
    out, report = tmp_path / "notice.zh.docx", tmp_path / "report.txt"
    r = hkpilot("translate", str(doc), "--to", "zh-HK", "-o", str(out), "--report", str(report),
                "--model", str(starter_model), "--set", "local.n_ctx=2048", env=env)
    assert r.returncode == 0, r.stderr
    translated = [p.text for p in Docx(str(out)).paragraphs if p.text.strip()]
    assert len(translated) == 2
    assert set(find_simplified("".join(translated))) <= HK_ALSO
    text = report.read_text(encoding="utf-8")
    # The report says what the output file shows: recount the glossary check independently.
    glossary = load_glossary([glossary_csv])
    checks = [glossary.verify(s, t, "en", "zh-HK") for s, t in zip(source, translated, strict=True)]
    checked, missing = sum(c.checked for c in checks), sum(len(c.violations) for c in checks)
    assert checked == 3
    assert f"Glossary: {checked} term uses checked, {missing} not followed" in text
    for c in checks:
        for v in c.violations:
            assert f'"{v.source_term}"' in text


@pytest.mark.model
def test_summarise_prints_coverage_and_flags_citations(tmp_path, cli_env, starter_model):
    paragraphs = ["The Tuen Ma Line commenced full operation on 27 June 2021.",
                  "It connects Tuen Mun and Wu Kai Sha.",
                  "Members of the public may call the 1823 hotline for enquiries."]
    doc = make_docx(tmp_path / "notice.docx", paragraphs)
    r = hkpilot("summarise", str(doc), "--length", "short", "--model", str(starter_model), "--set", "local.n_ctx=2048",
                env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "All 3 blocks read." in r.stderr and "Summary points:" in r.stderr
    # Every anchor the summary names that the document lacks is flagged on stderr.
    for token in re.findall(r"\[(p:\d+)\]", r.stdout):
        if int(token.split(":")[1]) > 3:
            assert token in r.stderr


@pytest.mark.model
def test_draft_letter_in_chinese_passes_its_own_format_check(tmp_path, cli_env, starter_model):
    r = hkpilot("draft", "--type", "letter", "--lang", "zh-HK", "--points", "通知陳先生辦事處於12月24日中午關閉",
                "--field", "our_ref=DEV 1/2/3", "--model", str(starter_model), "--set", "local.n_ctx=2048", env=cli_env)
    assert r.returncode == 0, r.stderr
    assert check_format(r.stdout, load_spec("letter", "zh-HK")).ok
    assert "本署檔號：DEV 1/2/3" in r.stdout
    assert "Format check: every part a letter needs is there." in r.stderr


@pytest.mark.model
def test_eval_prints_the_table(cli_env, starter_model):
    r = hkpilot("eval", "--limit", "2", "--direction", "en-zh", "--model", str(starter_model), "--set", "local.n_ctx=2048",
                env=cli_env)
    assert r.returncode == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if line.startswith("en>zh-HK"))
    cells = row.split()
    assert cells[2] == "2" and 0 <= float(cells[3]) <= 100 and cells[6] == "0"  # segments, chrF, nothing Simplified left
