"""Memory estimates from GGUF headers, the load verdict, and the policy-pinned model list."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest

from hkpilot import paths
from hkpilot.app import model_list
from hkpilot.app.model_list import ModelPolicy, apply_policy, list_entries
from hkpilot.engines import memory_estimate as mem
from hkpilot.engines.memory_estimate import MIB, estimate, judge, model_shape


def _s(text: str) -> bytes:
    b = text.encode()
    return struct.pack("<Q", len(b)) + b


def _u32(key: str, value: int) -> bytes:
    return _s(key) + struct.pack("<I", 4) + struct.pack("<I", value)


def make_gguf(path: Path, layers: int = 24, heads: int = 14, kv_heads: int = 2, embed: int = 896,
              ctx: int = 32768, padding: int = 0) -> Path:
    """A header shaped like Qwen2.5 0.5B (no tensors), padded to a chosen size."""
    kvs = [
        _s("general.architecture") + struct.pack("<I", 8) + _s("qwen2"),
        _s("general.name") + struct.pack("<I", 8) + _s("Tiny Qwen"),
        _u32("general.file_type", 15),
        _u32("qwen2.context_length", ctx),
        _u32("qwen2.block_count", layers),
        _u32("qwen2.embedding_length", embed),
        _u32("qwen2.attention.head_count", heads),
        _u32("qwen2.attention.head_count_kv", kv_heads),
    ]
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs)) + b"".join(kvs) + b"\0" * padding)
    return path


def test_shape_and_kv_cache_follow_the_formula(tmp_path: Path) -> None:
    shape = model_shape(make_gguf(tmp_path / "q.gguf"))
    assert (shape.n_layers, shape.n_kv_heads, shape.key_length, shape.value_length) == (24, 2, 64, 64)
    est = estimate(shape, n_ctx=4096)
    # 2 (K and V) * 24 layers * 4096 tokens * 2 KV heads * 64 dims * 2 bytes
    assert est.kv_cache == 2 * 24 * 4096 * 2 * 64 * 2 == 48 * MIB
    assert est.vram == 0 and est.ram == shape.weights + est.kv_cache + est.overhead


def test_starter_sized_estimate_matches_what_was_measured(tmp_path: Path) -> None:
    """Weights of 491,400,064 bytes: measured 599 MiB resident at 4,096 tokens, 936 at 32,768."""
    shape = mem.ModelShape(491_400_064, 24, 2, 64, 64, 32768)
    for n_ctx, measured in ((4096, 599), (32768, 936)):
        ram_mib = estimate(shape, n_ctx).ram / MIB
        assert measured <= ram_mib <= measured * 1.1, (n_ctx, ram_mib)


def test_context_is_capped_and_gpu_layers_move_memory(tmp_path: Path) -> None:
    shape = model_shape(make_gguf(tmp_path / "q.gguf", ctx=2048, padding=8 * MIB))
    assert estimate(shape, n_ctx=8192).n_ctx == 2048
    cpu = estimate(shape, 2048, n_gpu_layers=-1, gpu=False)
    half = estimate(shape, 2048, n_gpu_layers=12, gpu=True)
    full = estimate(shape, 2048, n_gpu_layers=-1, gpu=True)
    assert cpu.gpu_layers == 0 and half.gpu_layers == 12 and full.gpu_layers == 24
    assert cpu.vram == 0 < half.vram < full.vram
    assert cpu.ram > half.ram > full.ram


def test_verdicts() -> None:
    est = estimate(mem.ModelShape(4 << 30, 32, 8, 128, 128, 32768), 8192)
    assert judge(est, ram_free=64 << 30, vram_free=None).level == mem.OK
    refused = judge(est, ram_free=2 << 30, vram_free=None)
    assert refused.level == mem.REFUSE and "2.0 GB" in refused.render()
    assert judge(est, ram_free=int(est.ram / 0.9), vram_free=None).level == mem.WARN
    assert judge(est, ram_free=None, vram_free=None).level == mem.WARN
    gpu = estimate(mem.ModelShape(4 << 30, 32, 8, 128, 128, 32768), 8192, n_gpu_layers=-1, gpu=True)
    assert judge(gpu, ram_free=64 << 30, vram_free=1 << 30).level == mem.REFUSE


def test_available_ram_is_read_here() -> None:
    free = mem.available_ram()
    assert free is not None and free > 64 * MIB


def test_policy_lists_by_name_and_digest(tmp_path: Path) -> None:
    a, b = make_gguf(tmp_path / "a.gguf"), make_gguf(tmp_path / "b.gguf", layers=8)
    digest_b = hashlib.sha256(b.read_bytes()).hexdigest()
    by_name = ModelPolicy.from_extra({"models.allowed": ["a.gguf"]})
    assert by_name.allows(a, model_list.cached_sha256) and not by_name.allows(b, model_list.cached_sha256)
    by_digest = ModelPolicy.from_extra({"models.allowed": f"{digest_b.upper()}, other.gguf"})
    assert by_digest.allows(b, model_list.cached_sha256) and not by_digest.allows(a, model_list.cached_sha256)
    pinned = ModelPolicy.from_extra({"allowed_model_sha256": [digest_b]})
    assert pinned.allows(b, model_list.cached_sha256) and not pinned.allows(a, model_list.cached_sha256)
    both = ModelPolicy.from_extra({"models.allowed": ["a.gguf", "b.gguf"], "allowed_model_sha256": [digest_b]})
    assert not both.allows(a, model_list.cached_sha256) and both.allows(b, model_list.cached_sha256)
    assert ModelPolicy.from_extra({}).allows(a, lambda p: pytest.fail("no hash without a policy"))


def test_digest_is_cached_until_the_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_gguf(tmp_path / "a.gguf")
    first = model_list.cached_sha256(path)
    calls: list[Path] = []
    monkeypatch.setattr(model_list.catalogue, "sha256_file", lambda p, progress=None: calls.append(p) or "x" * 64)
    assert model_list.cached_sha256(path) == first and calls == []
    path.write_bytes(path.read_bytes() + b"\0")
    assert model_list.cached_sha256(path) == "x" * 64 and calls == [path]


def test_list_entries_include_starter_folders_and_chosen(tmp_path: Path) -> None:
    make_gguf(paths.models_dir() / "mine.gguf")
    (paths.models_dir() / "broken.gguf").write_bytes(b"nope")
    shared = tmp_path / "shared"
    shared.mkdir()
    make_gguf(shared / "dept.gguf")
    chosen = make_gguf(tmp_path / "elsewhere.gguf")
    entries = list_entries([shared], chosen)
    by_name = {e.path.name: e for e in entries}
    starter = entries[0]
    assert starter.origin == model_list.STARTER and not starter.installed  # a fresh HKPILOT_HOME
    assert by_name["mine.gguf"].origin == model_list.USER and by_name["mine.gguf"].info is not None
    assert by_name["broken.gguf"].info is None and by_name["broken.gguf"].problem
    assert by_name["dept.gguf"].origin == model_list.MACHINE
    assert by_name["elsewhere.gguf"].origin == model_list.CHOSEN
    apply_policy(entries, ModelPolicy.from_extra({"models.allowed": ["dept.gguf"]}))
    assert by_name["dept.gguf"].allowed and not by_name["mine.gguf"].allowed
    assert by_name["mine.gguf"].refusal


def test_an_unsafe_load_is_refused_before_llama_cpp_reads_the_file(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from hkpilot.config.settings import Settings
    from hkpilot.engines.factory import create_engine
    from hkpilot.errors import EngineError

    model = make_gguf(tmp_path / "big.gguf", padding=4 * MIB)
    settings = Settings()
    settings.set("local.model_path", str(model))
    monkeypatch.setattr(mem, "available_ram", lambda: 32 * MIB)  # less than the model's working space
    with pytest.raises(EngineError) as refused:
        create_engine(settings)
    assert "only 0.0 GB is free" in refused.value.render()


def test_gpu_estimate_matches_the_h100_figures() -> None:
    """../shared/GPU.md: 0.5B fully offloaded at 4,096 tokens took 1,427 MiB on the card, 7B 5,417."""
    small = estimate(mem.ModelShape(491_400_064, 24, 2, 64, 64, 32768), 4096, n_gpu_layers=-1, gpu=True)
    big = estimate(mem.ModelShape(4_683_073_536, 28, 4, 128, 128, 32768), 4096, n_gpu_layers=-1, gpu=True)
    for est, measured in ((small, 1427), (big, 5417)):
        assert measured * 0.95 <= est.vram / MIB <= measured * 1.15, (measured, est.vram / MIB)
    assert estimate(mem.ModelShape(491_400_064, 24, 2, 64, 64, 32768), 4096, 0, gpu=True).vram == mem.GPU_RUNTIME
