"""LocalEngine on the real starter model: chat template, streaming, cancel, errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from hkpilot.engines.base import CancelToken, GenParams, complete
from hkpilot.engines.local import LocalEngine
from hkpilot.errors import Cancelled, ContextTooLong, ModelLoadError, ModelNotFound

pytestmark = pytest.mark.model


def test_info_reads_the_model(local_engine: LocalEngine) -> None:
    info = local_engine.info()
    assert info.kind == "local" and info.chat_template
    assert info.context_window == 4096
    assert info.detail["quantization"] == "Q4_K_M"
    assert info.detail["backend"] in ("CPU", "GPU")


def test_streams_a_reply_with_stats(local_engine: LocalEngine) -> None:
    pieces = list(
        local_engine.stream([{"role": "user", "content": "Count from 1 to 10."}], GenParams(max_tokens=16, seed=1), CancelToken())
    )
    assert pieces and "".join(pieces).strip()
    stats = local_engine.last_stats
    assert stats.completion_tokens >= 1 and stats.prompt_tokens > 5
    assert stats.finish_reason in ("stop", "length")
    assert stats.tokens_per_s > 0


def test_writes_chinese(local_engine: LocalEngine) -> None:
    text = complete(
        local_engine,
        [
            {"role": "system", "content": "Translate the user's text into Chinese. Reply with the translation only."},
            {"role": "user", "content": "Good morning."},
        ],
        GenParams(max_tokens=20, temperature=0.0),
        CancelToken(),
    )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert "\x00" not in text and "\ufffd" not in text


def test_max_tokens_respected(local_engine: LocalEngine) -> None:
    list(local_engine.stream([{"role": "user", "content": "Count from 1 to 500."}], GenParams(max_tokens=8), CancelToken()))
    assert local_engine.last_stats.completion_tokens <= 8


def test_stop_strings(local_engine: LocalEngine) -> None:
    text = complete(
        local_engine,
        [{"role": "user", "content": "List the numbers 1 to 20, one per line."}],
        GenParams(max_tokens=80, stop=("5",), temperature=0.0),
        CancelToken(),
    )
    assert "5" not in text


def _cancel_after(token: CancelToken, seconds: float) -> None:
    threading.Timer(seconds, token.cancel).start()


def test_cancel_mid_stream_is_fast(local_engine: LocalEngine) -> None:
    cancel = CancelToken()
    started = time.monotonic()
    stopped_at = None
    with pytest.raises(Cancelled):
        for i, _ in enumerate(
            local_engine.stream(
                [{"role": "user", "content": "Write a long essay about tea."}], GenParams(max_tokens=2000), cancel
            )
        ):
            if i == 3:
                _cancel_after(cancel, 0.0)
                stopped_at = time.monotonic()
    assert stopped_at is not None
    assert time.monotonic() - stopped_at < 0.5
    assert time.monotonic() - started < 30
    # the engine is still usable after a cancel
    assert complete(local_engine, [{"role": "user", "content": "Say OK."}], GenParams(max_tokens=4), CancelToken())


def test_cancel_while_reading_a_long_prompt(local_engine: LocalEngine) -> None:
    cancel = CancelToken()
    _cancel_after(cancel, 0.3)
    started = time.monotonic()
    with pytest.raises(Cancelled):
        list(local_engine.stream([{"role": "user", "content": "tea " * 3000}], GenParams(max_tokens=4), cancel))
    # the prompt alone takes several seconds on 2 cores; the abort callback stops it early
    assert time.monotonic() - started < 0.3 + 0.5


def test_prompt_longer_than_context(local_engine: LocalEngine) -> None:
    with pytest.raises(ContextTooLong):
        list(local_engine.stream([{"role": "user", "content": "word " * 5000}], GenParams(max_tokens=4), CancelToken()))


def test_count_tokens(local_engine: LocalEngine) -> None:
    assert 1 <= local_engine.count_tokens("Hello world") <= 4
    assert local_engine.count_tokens("香港特別行政區政府") >= 3


def test_missing_and_broken_models(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        LocalEngine(tmp_path / "none.gguf")
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model at all" * 100)
    with pytest.raises(ModelLoadError):
        LocalEngine(bad)


def test_truncated_model_fails_cleanly(starter_model: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.gguf"
    with starter_model.open("rb") as src:
        cut.write_bytes(src.read(8 << 20))  # header intact, tensors missing
    with pytest.raises(ModelLoadError):
        LocalEngine(cut, n_ctx=512)
