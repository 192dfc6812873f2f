"""Document translation: HKPilot's translate job against a naive loop of one chat request per paragraph.

Both sides use the same model file, context, threads, prompt (``prompts.translation_messages``),
sampling settings and HK script conversion; the naive loop is what a script over
llama-cpp-python would do: ``create_chat_completion`` for each paragraph in turn. HKPilot
runs its real job (``tasks/translate.py``: retries, tag and script guards, the writer),
with its engine decoding up to ``parallel`` blocks together. Speed is measured on a
generated document; quality (chrF, sacrebleu) on the evaluation set ``tests/eval``, whose
segments are put into a .docx and translated by both sides the same way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hkpilot.bench.corpus import make_docx

TARGET = "zh-HK"


@dataclass
class Side:
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)


def block_texts(path: Path) -> list[str]:
    """The text blocks of a document, as HKPilot reads them."""
    from hkpilot.documents.loader import load_document

    return [b.text for b in load_document(path).text_blocks]


def naive_loop(llm: Any, texts: list[str], context_window: int) -> Side:
    """One ``create_chat_completion`` per paragraph, in order: the baseline."""
    from hkpilot.tasks.languages import to_script
    from hkpilot.tasks.prompts import translation_messages
    from hkpilot.tasks.translate import clean_translation

    side = Side()
    t0 = time.perf_counter()
    for text in texts:
        est = len(llm.tokenize(text.encode("utf-8"), add_bos=False))
        reply = llm.create_chat_completion(
            messages=translation_messages(text, "en", TARGET),
            max_tokens=min(est * 2 + 24, max(64, context_window // 2)),  # as translate_text asks
            temperature=0.1, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.05,
        )
        content = reply["choices"][0]["message"]["content"] or ""
        side.outputs.append(to_script(clean_translation(content, text), TARGET))
    side.seconds = time.perf_counter() - t0
    return side


def hkpilot_job(engine: Any, source: Path, output: Path) -> Side:
    """HKPilot's own translate job on ``source``; the outputs are read back from the written copy."""
    from hkpilot.documents.loader import load_document
    from hkpilot.engines.base import CancelToken
    from hkpilot.tasks.events import Result
    from hkpilot.tasks.translate import translate_document

    doc = load_document(source)
    side = Side()
    t0 = time.perf_counter()
    result = None
    for event in translate_document(doc, engine, TARGET, output, CancelToken()):
        if isinstance(event, Result):
            result = event
    side.seconds = time.perf_counter() - t0
    if result is None or result.output_path is None:
        raise RuntimeError("the translate job gave no result")
    side.outputs = [b.text for b in load_document(result.output_path).text_blocks]
    return side


def eval_docx(path: Path, limit: int | None = None) -> tuple[Path, list[str]]:
    """A .docx of the evaluation set's English segments, one paragraph each; and the references."""
    import docx

    from hkpilot.tasks.evaluation import default_set, load_segments

    segments = load_segments(default_set())[:limit]
    d = docx.Document()
    for seg in segments:
        d.add_paragraph(seg.en)
    d.save(str(path))
    return path, [seg.zh for seg in segments]


def chrf(outputs: list[str], refs: list[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_chrf(outputs, [refs]).score)


PART_PAGES = 4.0  # the document is translated in parts of about this many pages, the two sides taking turns


def run_translation(
    model: Path, workdir: Path, pages: float, eval_limit: int | None, n_ctx: int, threads: int, parallel: int
) -> dict[str, Any]:
    """Speed on ``pages`` pages and chrF on the evaluation set, HKPilot and naive side by side.

    Both sides stay loaded and take turns, part by part (who goes first alternates), so a
    change in the machine's load hits both alike: with one side after the other, the load
    on this shared machine fell from 8 to 2 between them and the ratio meant nothing.
    """
    import llama_cpp

    from hkpilot.engines.local import LocalEngine

    n_parts = max(2, round(pages / PART_PAGES))
    parts = [make_docx(workdir / f"translate_source_{i}.docx", pages / n_parts, seed=100 + i) for i in range(n_parts)]
    part_texts = [block_texts(p) for p in parts]
    texts = [t for pt in part_texts for t in pt]
    ev_doc, refs = eval_docx(workdir / "eval_source.docx", eval_limit) if eval_limit != 0 else (None, [])
    ev_texts = block_texts(ev_doc) if ev_doc else []
    out: dict[str, Any] = {"pages": pages, "parts": n_parts, "blocks": len(texts), "distinct_blocks": len(set(texts)),
                           "source_chars": sum(map(len, texts)), "eval_segments": len(refs), "parallel": parallel}
    engine = LocalEngine(model, n_ctx=n_ctx, n_threads=threads, parallel=parallel)
    same: dict[str, Any] = {"n_gpu_layers": engine.n_gpu_layers, "flash_attn": engine.flash_attn, "n_batch": engine.n_batch}
    out["flash_attn"] = engine.flash_attn
    llm = llama_cpp.Llama(model_path=str(model), n_ctx=engine.n_ctx, n_threads=engine.n_threads,
                          n_threads_batch=engine.n_threads, verbose=False, **same)  # the same settings as the engine
    ours_s: list[float] = []
    naive_s: list[float] = []
    try:
        for i, (part, ptexts) in enumerate(zip(parts, part_texts, strict=True)):
            turns = [("ours", part), ("naive", ptexts)] if i % 2 == 0 else [("naive", ptexts), ("ours", part)]
            for side, _ in turns:
                if side == "ours":
                    ours_s.append(hkpilot_job(engine, part, workdir / f"translate_hkpilot_{i}.docx").seconds)
                else:
                    naive_s.append(naive_loop(llm, ptexts, n_ctx).seconds)
        ours_eval = hkpilot_job(engine, ev_doc, workdir / "eval_hkpilot.docx") if ev_doc else Side()
        naive_eval = naive_loop(llm, ev_texts, n_ctx) if ev_doc else Side()
    finally:
        engine.close()
        llm.close()
    out.update(
        hkpilot_s=sum(ours_s), naive_s=sum(naive_s), speedup=sum(naive_s) / sum(ours_s) if sum(ours_s) else 0.0,
        part_speedups=[n / o for o, n in zip(ours_s, naive_s, strict=True) if o],
        hkpilot_chrf=chrf(ours_eval.outputs, refs) if refs and len(ours_eval.outputs) == len(refs) else None,
        naive_chrf=chrf(naive_eval.outputs, refs) if refs else None,
        hkpilot_eval_s=ours_eval.seconds, naive_eval_s=naive_eval.seconds,
    )
    return out
