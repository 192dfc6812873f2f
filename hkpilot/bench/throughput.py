"""Extraction speed (PDF pages/s, .docx paragraphs/s) and summarisation reading speed.

Extraction goes through ``documents.loader.load_document``, the path the app takes (with
its safety checks and, where configured, its separate parsing process). Summarisation
runs the real job on a long generated document; the figure is source tokens read per
second over the whole job (map, reduce and writing included), beside llama.cpp's own
prompt-reading speed in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hkpilot.bench.corpus import make_docx, make_pdf


def run_extraction(workdir: Path, pdf_pages: int, docx_pages: int, repeats: int = 3) -> dict[str, Any]:
    from hkpilot.documents.loader import load_document

    pdf = make_pdf(workdir / "extract.pdf", pdf_pages)
    docx_path = make_docx(workdir / "extract.docx", docx_pages)
    best_pdf = best_docx = float("inf")
    paragraphs = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        doc = load_document(pdf)
        best_pdf = min(best_pdf, time.perf_counter() - t0)
        t0 = time.perf_counter()
        ddoc = load_document(docx_path)
        best_docx = min(best_docx, time.perf_counter() - t0)
        paragraphs = len(ddoc.blocks)
    pages = doc.meta.page_count or pdf_pages
    return {"pdf_pages": pages, "pdf_s": best_pdf, "pdf_pages_per_s": pages / best_pdf,
            "docx_paragraphs": paragraphs, "docx_s": best_docx, "docx_paragraphs_per_s": paragraphs / best_docx}


def run_summarise(model: Path, workdir: Path, pages: int, n_ctx: int, threads: int) -> dict[str, Any]:
    from hkpilot.documents.loader import load_document
    from hkpilot.engines.base import CancelToken
    from hkpilot.engines.local import LocalEngine
    from hkpilot.tasks.events import Result
    from hkpilot.tasks.summarise import summarise_document

    doc = load_document(make_docx(workdir / "summarise.docx", pages))
    engine = LocalEngine(model, n_ctx=n_ctx, n_threads=threads)
    try:
        source_tokens = sum(engine.count_tokens(b.text) for b in doc.text_blocks)
        llama_cpp, ctx = engine._llama_cpp, engine._ctx.ctx
        llama_cpp.llama_perf_context_reset(ctx)
        t0 = time.perf_counter()
        result = None
        for event in summarise_document(doc, engine, "short", "en", CancelToken()):
            if isinstance(event, Result):
                result = event
        seconds = time.perf_counter() - t0
        perf = llama_cpp.llama_perf_context(ctx)
    finally:
        engine.close()
    raw_prompt = perf.n_p_eval / (perf.t_p_eval_ms / 1000) if perf.t_p_eval_ms > 0 else 0.0
    return {"pages": pages, "source_tokens": source_tokens, "seconds": seconds,
            "source_tokens_per_s": source_tokens / seconds, "raw_prompt_tokens_per_s": raw_prompt,
            "coverage": result.coverage if result else 0.0, "chunks": result.stats.get("chunks") if result else 0}
