"""Run a document's blocks through the model as a batch: many at once, each distinct text once.

Throughput comes from two places (measured in docs/PERFORMANCE.md):

- the blocks go to ``map_in_order`` with as many workers as the engine takes requests at
  once (``workers_for``): a server's parallel setting, or the local engine's ``parallel``
  slots, which ``engines/local_batch.py`` decodes together in one llama.cpp batch while
  every request keeps the same fixed system prompt and example as its cached prefix;
- a text that occurs again (a table's header row, district names, "N/A") is translated
  once: the repeat waits for the first and shows its translation, so the same source
  always reads the same in the output.

Numbered lists of several blocks in one request were considered and not used: the
model's numbering has to be parsed back and trusted, a miscount sends the whole group
again one by one, and with several sequences decoded together one request per block
already shares the prompt prefix and fills the batch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Hashable, Sequence
from typing import Any, Generic, TypeVar

from hkpilot.engines.base import CancelToken, Engine
from hkpilot.errors import Cancelled
from hkpilot.tasks.events import Event, Token
from hkpilot.tasks.parallel import map_in_order, workers_for

T = TypeVar("T")
R = TypeVar("R")

_WAIT_S = 0.05


class _Shared(Generic[R]):
    """The translation of the first block with a given text, for the repeats to wait on."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: R | None = None
        self.ok = False


def translate_blocks(
    work: Callable[[T, CancelToken], Generator[Event, None, R]],
    items: Sequence[T],
    engine: Engine,
    cancel: CancelToken,
    key: Callable[[T], Hashable],
    shown: Callable[[Any], str],  # given a result that is not None
    anchor: Callable[[T], str],
    progress: tuple[int, int] | None = None,
) -> Generator[Event, None, list[R]]:
    """``map_in_order(work, items, ...)`` with each distinct ``key(item)`` worked once.

    A repeat yields ``Token(shown(result), anchor(item))`` and a paragraph break, as
    ``work`` does for its block, and returns the first occurrence's result. Events stay in
    document order; the engine's parallel capacity sets how many blocks run at once.
    """
    shared: dict[Hashable, _Shared[R]] = {}
    first: set[int] = set()
    for i, item in enumerate(items):
        k = key(item)
        if k not in shared:
            shared[k] = _Shared()
            first.add(i)
    if len(first) == len(items):
        return (yield from map_in_order(work, items, workers_for(engine), cancel, progress=progress))
    indexed = list(enumerate(items))

    def run(entry: tuple[int, T], item_cancel: CancelToken) -> Generator[Event, None, R]:
        index, item = entry
        box = shared[key(item)]
        if index in first:
            try:
                value = yield from work(item, item_cancel)
            except BaseException:
                box.done.set()  # a repeat then works on its own block
                raise
            box.value, box.ok = value, True
            box.done.set()
            return value
        while not box.done.wait(_WAIT_S):  # the first was started earlier: it finishes or fails
            if item_cancel.cancelled:
                raise Cancelled()
        if not box.ok or box.value is None:
            return (yield from work(item, item_cancel))
        text = shown(box.value)
        if text:
            yield Token(text, anchor(item))
        yield Token("\n\n", anchor(item))
        return box.value

    return (yield from map_in_order(run, indexed, workers_for(engine), cancel, progress=progress))
