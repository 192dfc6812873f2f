"""Documents the benchmarks generate: government-style English .docx and PDF files of a set length.

The text is built from sentence templates with varying departments, dates, places and
figures, so that no two paragraphs are the same (a translation memory or a cache must
not make one side look faster) and the length is predictable: about 400 words a page.
"""

from __future__ import annotations

import random
from pathlib import Path

DEPARTMENTS = (
    "Home Affairs Department", "Social Welfare Department", "Transport Department", "Lands Department",
    "Environmental Protection Department", "Housing Department", "Labour Department", "Education Bureau",
    "Leisure and Cultural Services Department", "Food and Environmental Hygiene Department",
)
PLACES = ("Sha Tin", "Kwun Tong", "Tsuen Wan", "Yuen Long", "Tuen Mun", "Wan Chai", "Sham Shui Po", "Tai Po", "Sai Kung")
TOPICS = (
    "public library services", "elderly community care", "cycle track maintenance", "flood prevention works",
    "school places for non-Chinese speaking students", "recycling collection points", "street lighting upgrades",
    "youth employment schemes", "public housing estate management", "sports centre opening hours",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
SENTENCES = (
    "The {dept} will review {topic} in {place} and report its findings by {day} {month}.",
    "A public consultation on {topic} will start on {day} {month} and last for {n} weeks.",
    "Members of the public may send written views to the {dept} on or before {day} {month}.",
    "The project in {place} is expected to cost about ${amount} million and to be completed in {year}.",
    "Since {year}, the number of applications concerning {topic} has risen by {pct} per cent.",
    "District Council members in {place} were briefed on the proposals at a meeting held on {day} {month}.",
    "The {dept} has set aside {n} additional staff to handle enquiries about {topic}.",
    "Residents of {place} will be notified in writing at least {n} days before any works begin.",
    "An interim report on {topic} was submitted to the Legislative Council panel in {month} {year}.",
    "Enquiries about {topic} should be directed to the {dept} hotline during office hours.",
    "The trial scheme in {place} served {count} people in its first {n} months.",
    "Further details will be announced by the {dept} when the arrangements for {topic} are finalised.",
)
HEADINGS = (
    "Background", "Current position", "Proposals", "Financial implications", "Consultation", "Implementation",
    "Way forward", "Staffing", "Public views", "Risks and mitigation",
)
COLUMNS = ("District", "Service", "Responsible department", "Target date")
WORDS_PER_PAGE = 400


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        dept=rng.choice(DEPARTMENTS), topic=rng.choice(TOPICS), place=rng.choice(PLACES),
        day=rng.randint(1, 28), month=rng.choice(MONTHS), year=rng.randint(2018, 2027), n=rng.randint(2, 12),
        amount=rng.randint(3, 900), pct=rng.randint(2, 40), count=f"{rng.randint(200, 9000):,}",
    )


def paragraphs(pages: float, seed: int = 7) -> list[tuple[str, str]]:
    """``(kind, text)`` items for about ``pages`` pages: "heading", "paragraph" or "row" (cells joined by tabs)."""
    rng = random.Random(seed)
    items: list[tuple[str, str]] = []
    words = 0
    section = 0
    while words < pages * WORDS_PER_PAGE:
        section += 1
        items.append(("heading", f"{section}. {rng.choice(HEADINGS)}: {rng.choice(TOPICS)} in {rng.choice(PLACES)}"))
        for _ in range(rng.randint(2, 4)):
            text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
            items.append(("paragraph", text))
            words += len(text.split())
        if section % 3 == 0:
            for _ in range(3):
                row = (rng.choice(PLACES), rng.choice(TOPICS).capitalize(), rng.choice(DEPARTMENTS),
                       f"{rng.choice(MONTHS)} {rng.randint(2025, 2028)}")
                items.append(("row", "\t".join(row)))
                words += sum(len(c.split()) for c in row)
    return items


def make_docx(path: Path, pages: float, seed: int = 7) -> Path:
    """An English .docx of about ``pages`` pages: headings, paragraphs and tables."""
    import docx

    d = docx.Document()
    d.add_heading("Paper for the District Services Panel", level=0)
    table = None
    for kind, text in paragraphs(pages, seed):
        if kind == "row":
            cells = text.split("\t")
            if table is None:
                table = d.add_table(rows=1, cols=len(COLUMNS))
                for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
                    cell.text = name
            for cell, value in zip(table.add_row().cells, cells, strict=True):
                cell.text = value
            continue
        table = None
        if kind == "heading":
            d.add_heading(text, level=1)
        else:
            d.add_paragraph(text)
    d.save(str(path))
    return path


def make_pdf(path: Path, pages: int, seed: int = 11) -> Path:
    """An English PDF of exactly ``pages`` pages of running text (core font, text layer)."""
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(15, 15)
        pdf.multi_cell(180, 5, f"Page {page + 1}")
        for _ in range(6):
            pdf.set_x(15)
            pdf.multi_cell(180, 5, " ".join(_sentence(rng) for _ in range(3)))
            pdf.ln(2)
    pdf.output(str(path))
    return path
