"""Read a plain-text file: guess its encoding, split paragraphs on blank lines."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.documents.safety import parse_boundary
from hkpilot.errors import DocumentEmpty, DocumentTooLarge

MAX_BYTES = 50 * 1024 * 1024
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*\n")

# Frequent characters of written Chinese in both scripts. A right guess between Big5
# and GB18030 decodes mostly into these; a wrong one gives rarer characters.
_COMMON = set(
    "的一是不了在人有我他這个們们中來来上大為为和國国地到以說说時时要就出會会可也你對对生能而子那得於于"
    "着下自之年過过發发後后作裡里用道行所然家種种事成方多經经麼么去法學学如都同現现當当沒没動动面起看定天"
    "分還还進进好小部其些主樣样理心她本前開开但因只從从想實实日者意無无力它與与長长把機机十民第公此已工使情"
    "明性知全三又關关點点正業业外將将兩两高間间由問问很最重並并物手應应向頭头文體体政美相見见被利什二等產产"
    "或新己制身果加月話话合回特代內内信表化老給给世位次度門门任常先海通教兒儿原東东提立及比員员解水名真論论"
    "處处走義义各入幾几口認认條条平系氣气題题活更別别打女變变四神總总何電电數数安少報报才結结反受目太量再感"
    "建務务做接必場场件計计管期市直德資资命山金指許许統统區区保至隊队形社便空決决治展科司五基書书非則则聽听"
    "白卻却界達达光放強强即像難难且權权思王完設设式色路記记南品住告類类求據据程北邊边死張张該该交規规萬万"
    "取拉格望覺觉術术領领共確确傳传師师觀观清今切院讓让識识候帶带導导爭争運运笑飛飞風风步改收根干造言聯联"
    "持組组每濟济車车親亲極极林服快辦办議议往元英士證证近失轉转夫令準准布始怎存未遠远叫台單单影具字愛爱"
    "，。、；：？！「」（）《》"
)


def _score(text: str) -> float:
    cjk = [c for c in text if ord(c) > 0x2E7F]
    if not cjk:
        return 0.0
    return sum(1 for c in cjk if c in _COMMON) / len(cjk)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) for ``data``: BOMs, UTF-8, Big5/GB18030 by score, else Latin-1."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:  # UTF-16 without a BOM
        even_zeros = sample[0::2].count(0)
        enc = "utf-16-be" if even_zeros > sample[1::2].count(0) else "utf-16-le"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in ("cp950", "big5hkscs", "gb18030"):  # ties go to Big5: the HK default
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is not None and best[0] > 0.2:
        return best[1], best[2]
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; line breaks inside a paragraph are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip("\n") for p in _BLANK_LINES.split(text) if p.strip()]


def read_txt(path: Path) -> Document:
    """Read a text file into PARAGRAPH blocks anchored ``para:K``."""
    path = Path(path)
    with parse_boundary(path.name, "text"):
        if path.stat().st_size > MAX_BYTES:
            raise DocumentTooLarge(name=path.name)
        data = path.read_bytes()
        text, _encoding = decode_text(data)
        paras = split_paragraphs(text)
        if not paras:
            raise DocumentEmpty(name=path.name)
        blocks = [Block(anchor=f"para:{k}", kind=BlockKind.PARAGRAPH, text=p) for k, p in enumerate(paras, 1)]
        return Document(path=path, format="txt", blocks=blocks)
