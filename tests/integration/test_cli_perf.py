"""``hkpilot doctor`` and ``hkpilot bench`` as a user runs them (the real model; no network)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model


def hkpilot(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hkpilot", *args], capture_output=True, text=True, env=env, timeout=timeout)


def test_doctor_reports_backend_offload_and_the_model(cli_env: dict[str, str], starter_model: Path) -> None:
    r = hkpilot("doctor", "--load", "--model", str(starter_model), env=cli_env)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    import llama_cpp

    offload = bool(llama_cpp.llama_supports_gpu_offload())
    assert ("Build: cpu" in out) != offload  # a CPU build says so; a GPU build names its backend
    assert "GPU offload: " + ("supported" if offload else "not supported") in out
    assert "24 layers" in out and f"Layers to offload: {24 if offload else 0}/24" in out
    assert "tokens/s" in out and "OpenMP wait policy: PASSIVE" in out


def test_doctor_speaks_chinese(cli_env: dict[str, str], starter_model: Path) -> None:
    r = hkpilot("--lang", "zh-HK", "doctor", "--model", str(starter_model), env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "GPU 卸載" in r.stdout and "模型：" in r.stdout


def test_bench_writes_a_table_and_json(cli_env: dict[str, str], starter_model: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    r = hkpilot("bench", "--quick", "--only", "extraction", "--json", str(out), "--model", str(starter_model),
                env=cli_env)
    assert r.returncode == 0, r.stderr
    assert "| PDF extraction, pages/s (20 pages) |" in r.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    section = data["sections"]["extraction"]
    assert section["pdf_pages"] == 20 and section["pdf_pages_per_s"] > 0 and section["docx_paragraphs"] > 100
    assert data["machine"]["llama_cpp_python"] and data["mode"] == "quick"


def test_bench_refuses_a_missing_model(cli_env: dict[str, str], tmp_path: Path) -> None:
    r = hkpilot("bench", "--quick", "--model", str(tmp_path / "none.gguf"), env=cli_env)
    assert r.returncode == 4 and "none.gguf" in r.stderr
