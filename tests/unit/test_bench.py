"""The benchmark's pieces that need no model: generated documents, the table, the decoder's helpers."""

from __future__ import annotations

from pathlib import Path

from hkpilot.bench.corpus import WORDS_PER_PAGE, make_docx, paragraphs
from hkpilot.bench.table import render
from hkpilot.engines.hardware import Device, Hardware
from hkpilot.engines.local_requests import common_prefix


def test_generated_document_has_the_asked_length_and_is_reproducible(tmp_path: Path) -> None:
    items = paragraphs(5)
    words = sum(len(t.split()) for _k, t in items)
    assert 5 * WORDS_PER_PAGE <= words < 6 * WORDS_PER_PAGE
    assert {k for k, _t in items} == {"heading", "paragraph", "row"}
    assert paragraphs(5) == items
    texts = [t for k, t in items if k == "paragraph"]
    assert len(set(texts)) == len(texts)  # no two paragraphs alike
    import docx

    d = docx.Document(str(make_docx(tmp_path / "g.docx", 2)))
    assert d.tables and len(d.paragraphs) > 10


def test_common_prefix() -> None:
    assert common_prefix([1, 2, 3], [1, 2, 4]) == 2
    assert common_prefix([], [1]) == 0
    assert common_prefix([5, 6], [5, 6]) == 2


def test_hardware_variant_and_unused_gpu() -> None:
    cpu = Device("CPU", "x86", "CPU")
    assert Hardware(offload=False, backends=["CPU"], devices=[cpu]).variant == "cpu"
    gpu = Hardware(offload=True, backends=["CUDA", "CPU"], devices=[Device("CUDA0", "H100", "GPU", 80 << 30), cpu])
    assert gpu.variant == "cuda" and [d.name for d in gpu.gpus] == ["CUDA0"] and not gpu.unused_gpu
    missed = Hardware(offload=False, backends=["CPU"], devices=[cpu], nvidia_smi=["GPU 0: NVIDIA H100"])
    assert missed.unused_gpu


def test_table_marks_goals_met_and_missed() -> None:
    report = {
        "mode": "quick", "model": "m.gguf", "threads": 2, "parallel": 16, "n_ctx": 8192,
        "machine": {"cpu": "cpu", "load_average_1m": 1.0},
        "sections": {
            "overhead": {"256": {"local_engine": {"stream_tps": 9.9, "raw_tps": 10.0, "ratio": 0.99, "first_s": 1.0},
                                 "llama_cpp_python": {"stream_tps": 8.0, "raw_tps": 10.0, "ratio": 0.8, "first_s": 2.0}}},
            "translation": {"pages": 2.0, "blocks": 40, "hkpilot_s": 60.0, "naive_s": 100.0, "speedup": 1.67,
                            "naive_chrf": 30.0, "hkpilot_chrf": 31.0, "eval_segments": 10},
            "memory": {"error": "RuntimeError: probe failed"},
        },
    }
    text = render(report)
    lines = text.splitlines()
    overhead = next(line for line in lines if "256 tokens: LocalEngine" in line)
    assert overhead.endswith("| yes |") and "0.990" in overhead
    speed = next(line for line in lines if "one request per paragraph" in line)
    assert "1.67x" in speed and speed.endswith("| no |")
    chrf = next(line for line in lines if "chrF" in line)
    assert chrf.endswith("| yes |")
    assert any("memory: failed" in line for line in lines)
