"""LocalEngine decoding several requests together (engines/local_batch.py) on the real starter model."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from hkpilot.documents.loader import load_document
from hkpilot.engines.base import CancelToken, GenParams, Message, complete
from hkpilot.engines.local import LocalEngine
from hkpilot.errors import Cancelled, ContextTooLong
from hkpilot.tasks.events import Result
from hkpilot.tasks.parallel import workers_for
from hkpilot.tasks.translate import translate_document

pytestmark = pytest.mark.model

SYSTEM = "You are a translator. Translate the user's text into Traditional Chinese. Reply with the translation only."
GREEDY = GenParams(max_tokens=12, temperature=0.0)


@pytest.fixture(scope="module")
def batch_engine(starter_model: Path) -> Iterator[LocalEngine]:
    engine = LocalEngine(starter_model, n_ctx=2048, parallel=4)
    yield engine
    engine.close()


def _messages(text: str) -> list[Message]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]


def _together(engine: LocalEngine, texts: list[str], params: GenParams = GREEDY) -> list[str]:
    out: dict[int, str] = {}
    errors: list[BaseException] = []

    def run(i: int, text: str) -> None:
        try:
            out[i] = complete(engine, _messages(text), params, CancelToken())
        except BaseException as exc:  # noqa: BLE001 - raised in the test's thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(texts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    if errors:
        raise errors[0]
    return [out[i] for i in range(len(texts))]


def test_requests_made_together_are_decoded_together_and_match_one_by_one(batch_engine: LocalEngine) -> None:
    texts = ["Good morning.", "The office is closed.", "Thank you.", "Please wait.", "See you tomorrow."]
    alone = [complete(batch_engine, _messages(t), GREEDY, CancelToken()) for t in texts]
    steps = batch_engine._decoder.steps  # type: ignore[union-attr]
    together = _together(batch_engine, texts)
    decode_steps = batch_engine._decoder.steps - steps  # type: ignore[union-attr]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in together)
    # Greedy decoding: a sequence's tokens do not depend on its neighbours in the batch.
    assert together == alone
    # Five requests, four slots: far fewer steps than one at a time would take.
    assert decode_steps < sum(len(batch_engine.tokenize(t)) + 3 for t in alone) * 0.8
    assert workers_for(batch_engine) == 4


def test_a_repeated_prompt_reuses_its_cached_prefix(batch_engine: LocalEngine) -> None:
    text = "The public consultation on library services starts next Monday and lasts three months. " * 6
    batch_engine.forget_cache()
    complete(batch_engine, _messages(text), GenParams(max_tokens=2, temperature=0.0), CancelToken())
    cold = batch_engine.last_stats.first_token_s
    complete(batch_engine, _messages(text), GenParams(max_tokens=2, temperature=0.0), CancelToken())
    warm = batch_engine.last_stats.first_token_s
    assert batch_engine.last_stats.prompt_tokens > 100
    assert warm < cold / 3, (cold, warm)


def test_cancelling_one_request_leaves_the_others_running(batch_engine: LocalEngine) -> None:
    long_params = GenParams(max_tokens=400, temperature=0.0)
    cancel = CancelToken()
    results: dict[str, object] = {}

    def victim() -> None:
        try:
            for i, _piece in enumerate(batch_engine.stream(_messages("Count from 1 to 300."), long_params, cancel)):
                if i == 2:
                    cancel.cancel()
                    results["cancelled_at"] = time.monotonic()
            results["victim"] = "finished"
        except Cancelled:
            results["victim"] = "cancelled"
            results["stopped_at"] = time.monotonic()

    thread = threading.Thread(target=victim)
    thread.start()
    others = _together(batch_engine, ["Good morning.", "Thank you."])
    thread.join(120)
    assert results["victim"] == "cancelled"
    assert float(results["stopped_at"]) - float(results["cancelled_at"]) < 2.0  # type: ignore[arg-type]
    assert all(others)
    # the cancelled sequence's cells were given back: a full-size request still fits
    assert complete(batch_engine, _messages("Say OK."), GenParams(max_tokens=4), CancelToken())


def test_more_work_than_the_context_holds_waits_instead_of_failing(starter_model: Path) -> None:
    engine = LocalEngine(starter_model, n_ctx=512, parallel=4)
    try:
        # each request reserves its prompt and 200 new tokens: only one or two fit at a time
        texts = [f"Item {i}: the meeting is on Monday." for i in range(4)]
        out = _together(engine, texts, GenParams(max_tokens=200, temperature=0.0, stop=("\n",)))
        assert len(out) == 4 and all(out)
        with pytest.raises(ContextTooLong):
            complete(engine, _messages("word " * 600), GREEDY, CancelToken())
    finally:
        engine.close()


def test_a_document_with_repeats_translates_each_text_once(batch_engine: LocalEngine, tmp_path: Path) -> None:
    source = tmp_path / "repeats.docx"
    d = docx.Document()
    table = d.add_table(rows=3, cols=2)
    for row in table.rows:
        row.cells[0].text = "Sha Tin"
        row.cells[1].text = "Completed"
    d.add_paragraph("The office will be closed on Monday.")
    d.save(str(source))
    doc = load_document(source)
    requests = []
    original = batch_engine.stream

    def counting(messages: list[Message], params: GenParams, cancel: CancelToken) -> Iterator[str]:
        requests.append(messages[-1]["content"])
        return original(messages, params, cancel)

    batch_engine.stream = counting  # type: ignore[method-assign]
    try:
        result = None
        for event in translate_document(doc, batch_engine, "zh-HK", tmp_path / "out.docx", CancelToken()):
            if isinstance(event, Result):
                result = event
    finally:
        del batch_engine.stream
    assert result is not None and result.output_path is not None
    cells = [b.text for b in load_document(result.output_path).text_blocks if b.anchor.startswith("t")]
    assert len(cells) == 6
    assert cells[0] == cells[2] == cells[4] and cells[1] == cells[3] == cells[5]
    assert requests.count("Sha Tin") <= 2  # once, or twice when the first answer was asked again
