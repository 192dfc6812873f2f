"""Classification markings: where they are found, which level wins, and the gate before an engine."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from hkpilot.app.classification import check_engine, choose_level, detect, load_scheme
from hkpilot.app.session import Session
from hkpilot.config.security import SecurityPolicy
from hkpilot.config.settings import Settings
from hkpilot.documents import provenance
from hkpilot.documents.loader import load_document
from hkpilot.errors import ClassificationRefused, PolicyRefused, UsageError

SCHEME = load_scheme()


def _docx(path: Path, body: list[str], header: str = "", footer: str = "", keywords: str = "",
          custom: dict[str, str] | None = None, watermark: str = "") -> Path:
    d = docx.Document()
    for text in body:
        d.add_paragraph(text)
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if footer:
        d.sections[0].footer.paragraphs[0].text = footer
    if keywords:
        d.core_properties.keywords = keywords
    if custom:
        provenance.set_docx_properties(d, custom)
    if watermark:  # Word's watermark: WordArt in the header, the text only in an attribute
        from lxml import etree

        hdr = d.sections[0].header.paragraphs[0]._p
        pict = etree.SubElement(etree.SubElement(hdr, "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"),
                                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pict")
        shape = etree.SubElement(pict, "{urn:schemas-microsoft-com:vml}shape")
        etree.SubElement(shape, "{urn:schemas-microsoft-com:vml}textpath", string=watermark)
    d.save(str(path))
    return path


def _level(path: Path) -> str:
    return detect(load_document(path), SCHEME).level.name


BODY = ["Arrangements for the staff party.", "Please reply by Friday.", "Thank you.", "More text.", "Ends here."]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "UNCLASSIFIED"),
        ({"header": "RESTRICTED (STAFF)"}, "RESTRICTED"),
        ({"footer": "Page 1\tCONFIDENTIAL"}, "CONFIDENTIAL"),
        ({"header": "限閱文件（人事）"}, "RESTRICTED"),
        ({"keywords": "budget; Secret"}, "SECRET"),
        ({"custom": {"Classification": "TOP SECRET"}}, "TOP SECRET"),
        ({"custom": {"MSIP_Label_1234_Name": "Restricted"}}, "RESTRICTED"),
        ({"watermark": "CONFIDENTIAL"}, "CONFIDENTIAL"),
        ({"body": ["** RESTRICTED - TENDER **", *BODY]}, "RESTRICTED"),
        ({"body": [*BODY, "高度機密"]}, "SECRET"),
        ({"body": ["絕對機密", *BODY]}, "TOP SECRET"),
        ({"body": ["機密", *BODY]}, "CONFIDENTIAL"),
        ({"header": "RESTRICTED", "footer": "SECRET"}, "SECRET"),  # the highest wins
    ],
)
def test_docx_markings(tmp_path: Path, kwargs: dict[str, object], expected: str) -> None:
    body = kwargs.pop("body", BODY)
    assert _level(_docx(tmp_path / "d.docx", body, **kwargs)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("first", [
    "Secret Santa arrangements",  # a word, not a marking
    "This paper is restricted to members of the board.",
    "保密協議的簽署安排",  # "non-disclosure agreement": not a marking
    "The CONFIDENTIAL files were archived in 2019 and are no longer needed by the team.",
])
def test_ordinary_words_are_not_markings(tmp_path: Path, first: str) -> None:
    assert _level(_docx(tmp_path / "d.docx", [first, *BODY])) == "UNCLASSIFIED"


def test_marking_in_the_middle_of_a_long_document_is_not_read_as_the_documents_level(tmp_path: Path) -> None:
    body = [f"Paragraph {i}." for i in range(20)]
    body[10] = "SECRET"  # a quoted heading deep inside is no marking of this document
    assert _level(_docx(tmp_path / "d.docx", body)) == "UNCLASSIFIED"


def _pdf(path: Path, lines: list[str], subject: str = "") -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    if subject:
        pdf.set_subject(subject)
    pdf.output(str(path))
    return path


def test_pdf_first_page_and_metadata(tmp_path: Path) -> None:
    assert _level(_pdf(tmp_path / "a.pdf", ["CONFIDENTIAL", "", "Minutes of the meeting held on 3 May."])) == "CONFIDENTIAL"
    assert _level(_pdf(tmp_path / "b.pdf", ["Minutes of the meeting held on 3 May."], subject="RESTRICTED")) == "RESTRICTED"
    assert _level(_pdf(tmp_path / "c.pdf", ["Minutes of the meeting held on 3 May."])) == "UNCLASSIFIED"


def test_text_file_first_line(tmp_path: Path) -> None:
    p = tmp_path / "n.txt"
    p.write_text("RESTRICTED\n\nThe plan is as follows.\n", encoding="utf-8")
    assert _level(p) == "RESTRICTED"


def test_policy_replaces_the_markings(tmp_path: Path) -> None:
    policy = SecurityPolicy.from_extra({"classification_markings": [
        {"name": "OFFICIAL", "markings": []},
        {"name": "OFFICIAL-SENSITIVE", "markings": ["OFFICIAL-SENSITIVE", "OS"]},
    ]})
    scheme = load_scheme(policy)
    assert [lv.name for lv in scheme.levels] == ["OFFICIAL", "OFFICIAL-SENSITIVE"]
    doc = load_document(_docx(tmp_path / "d.docx", BODY, header="OFFICIAL-SENSITIVE"))
    assert detect(doc, scheme).level.name == "OFFICIAL-SENSITIVE"
    broken = load_scheme(SecurityPolicy.from_extra({"classification_markings": [{"nope": 1}]}))
    assert broken.level("RESTRICTED") is not None  # an unusable list never switches detection off


def test_raise_always_lower_only_when_policy_allows() -> None:
    restricted = SCHEME.level("RESTRICTED")
    assert restricted is not None
    strict, lenient = SecurityPolicy(), SecurityPolicy(allow_lower=True)
    assert choose_level(SCHEME, restricted, "SECRET", strict, "d").name == "SECRET"
    assert choose_level(SCHEME, restricted, "限閱文件", strict, "d").name == "RESTRICTED"
    with pytest.raises(PolicyRefused) as refused:
        choose_level(SCHEME, restricted, "UNCLASSIFIED", strict, "d")
    assert refused.value.exit_code == 5
    assert choose_level(SCHEME, restricted, "UNCLASSIFIED", lenient, "d").name == "UNCLASSIFIED"
    with pytest.raises(UsageError):
        choose_level(SCHEME, restricted, "VERY HUSH", strict, "d")


def test_caps_per_engine_and_fail_closed() -> None:
    restricted, secret = SCHEME.level("RESTRICTED"), SCHEME.level("SECRET")
    assert restricted is not None and secret is not None
    policy = SecurityPolicy.from_extra({"server_max_classification": "RESTRICTED", "local_max_classification": "any"})
    check_engine(SCHEME, policy, "server", restricted, "d")
    check_engine(SCHEME, policy, "local", secret, "d")
    with pytest.raises(ClassificationRefused) as refused:
        check_engine(SCHEME, policy, "server", secret, "memo.docx")
    assert refused.value.exit_code == 5
    assert "memo.docx" in refused.value.render() and "SECRET" in refused.value.render()
    typo = SecurityPolicy.from_extra({"server_max_classification": "RESTRICTD"})  # unknown: only unmarked pass
    with pytest.raises(ClassificationRefused):
        check_engine(SCHEME, typo, "server", restricted, "d")


def _policy(home: Path, text: str) -> None:
    (home / "policy.toml").write_text(text, encoding="utf-8")


def test_session_refuses_before_the_engine_exists(tmp_path: Path, _temp_home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A document above the server's cap never reaches the server: the engine is not even created."""
    _policy(_temp_home, 'server_max_classification = "UNCLASSIFIED"\n')
    created: list[str] = []
    monkeypatch.setattr("hkpilot.app.session.create_engine", lambda s: created.append("engine"))
    settings = Settings()
    settings.set("engine.kind", "server")
    settings.set("server.url", "http://127.0.0.1:9")
    session = Session(settings)
    doc = session.open_document(_docx(tmp_path / "r.docx", BODY, header="RESTRICTED"))
    assert doc.meta.classification == "RESTRICTED"
    from hkpilot.engines.base import CancelToken

    for job in (lambda: session.summarise_job(doc, "short", "en", CancelToken()),
                lambda: session.translate_job(doc, "zh-HK", tmp_path / "o.docx", CancelToken()),
                lambda: session.draft_job("memo", "en", "points", CancelToken(), [doc])):
        with pytest.raises(ClassificationRefused):
            list(job())
    assert created == [] and not (tmp_path / "o.docx").exists()
    session.set_classification(doc, "SECRET")  # raising is always allowed
    assert doc.meta.classification == "SECRET"
    with pytest.raises(PolicyRefused):
        session.set_classification(doc, "UNCLASSIFIED")
