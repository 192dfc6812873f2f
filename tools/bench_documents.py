"""Benchmark the document layer: prints figures, asserts nothing.

    .venv/bin/python tools/bench_documents.py [--pages 300] [--docx-pages 200]

Extraction speed (pages/s for a PDF, paragraphs/s for a .docx), the speed of writing a
translated copy of the .docx (inline tags on), and the peak memory of each step, each
measured in a fresh child process so one does not inflate the next.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_STEP = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from hkpilot.documents.loader import load_document
path, step = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
doc = load_document(path, max_pages=100000)
read = time.perf_counter() - start
out = {{"read_s": read, "blocks": len(doc.blocks), "pages": doc.meta.page_count}}
if step == "write":
    from hkpilot.documents.docx_writer import save_translated_copy
    translations = {{b.anchor: (b.markup or b.text) for b in doc.text_blocks}}
    start = time.perf_counter()
    save_translated_copy(doc, translations, path.with_name("out.docx"))
    out["write_s"] = time.perf_counter() - start
    out["written"] = len(translations)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def make_pdf(path: Path, pages: int) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    text = ("The department reviewed the services of every district and reported to the committee. " * 4).strip()
    for page in range(pages):
        pdf.add_page()
        pdf.cell(0, 8, "Annual Report - Internal", new_x="LMARGIN", new_y="NEXT")
        for k in range(6):
            pdf.multi_cell(0, 6, f"{page}.{k} {text}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(path))


def measure(path: Path, step: str) -> dict[str, float]:
    code = _STEP.format(root=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, str(path), step], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--docx-pages", type=int, default=200)
    args = parser.parse_args()
    from tests.corpus.build_rich import build_big

    with tempfile.TemporaryDirectory() as tmp:
        pdf, docx_path = Path(tmp) / "bench.pdf", Path(tmp) / "bench.docx"
        make_pdf(pdf, args.pages)
        build_big(docx_path, args.docx_pages)
        p = measure(pdf, "read")
        d = measure(docx_path, "write")
        size = pdf.stat().st_size
    print(f"PDF  {args.pages} pages ({size // 1024} KB): "
          f"{p['read_s']:.2f} s, {args.pages / p['read_s']:.0f} pages/s, {p['blocks']} paragraphs, peak {p['peak_mb']:.0f} MB")
    print(f"DOCX {args.docx_pages} pages, {d['blocks']} paragraphs: read {d['read_s']:.2f} s, "
          f"{d['blocks'] / d['read_s']:.0f} paragraphs/s; translated copy written in {d['write_s']:.2f} s "
          f"({d['written'] / d['write_s']:.0f} paragraphs/s); peak {d['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
