"""Figures the faces show about work: time left, and whether a document fits the model.

Pure arithmetic over what the jobs already report (Progress done/total, elapsed time)
and over the token count of a document, so both faces say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hkpilot.engines.base import estimate_tokens

SUMMARY_OVERHEAD = 200  # tasks/summarise.py: system prompt and chat template
SUMMARY_OUTPUT = {"short": 300, "medium": 600, "long": 1000}
DRAFT_OUTPUT, DRAFT_OVERHEAD = 1200, 400  # tasks/draft.py


def remaining_seconds(done: int, total: int, elapsed: float) -> float | None:
    """Time left if the rest goes as fast as what is done (None before the first step)."""
    if done <= 0 or total <= 0 or elapsed <= 0 or done >= total:
        return None if done < total else 0.0
    return elapsed / done * (total - done)


def format_duration(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a status line."""
    seconds = max(round(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class ContextFit:
    """A document's tokens against what the model can read at once for a task."""

    tokens: int
    budget: int  # tokens of input the model can take for this task (0: unknown)
    window: int  # the model's whole context (0: unknown)
    whole: bool  # the task needs the whole input at once (summary, draft references)
    exact: bool  # counted with the model's tokenizer, not estimated

    @property
    def known(self) -> bool:
        return self.budget > 0

    @property
    def fits(self) -> bool:
        return not self.known or not self.whole or self.tokens <= self.budget

    @property
    def share(self) -> float:
        """The input's size as a share of the budget (1.0 = exactly full)."""
        return self.tokens / self.budget if self.budget > 0 else 0.0


def input_budget(task: str, window: int, length: str = "medium") -> int:
    """Tokens of document a task can read in one go (as the tasks themselves reckon it)."""
    if window <= 0:
        return 0
    if task == "summarise":
        return max(window - min(SUMMARY_OUTPUT.get(length, 600), window // 4) - SUMMARY_OVERHEAD, 0)
    if task == "draft":
        return max(window - min(DRAFT_OUTPUT, window // 3) - DRAFT_OVERHEAD, 0)
    return max(window // 3, 0)  # translation goes block by block; this is one request's room


def context_fit(task: str, text: str, window: int, length: str = "medium",
                count: Any = None) -> ContextFit:
    """Count ``text`` (with ``count(text)`` when a model is loaded, else an over-estimate)."""
    tokens = int(count(text)) if count is not None else estimate_tokens(text)
    budget = input_budget(task, window, length)
    return ContextFit(tokens, budget, window, whole=task in ("summarise", "draft"), exact=count is not None)


def configured_window(settings: Any) -> int:
    """The context the settings will give the model, without loading it (0: unknown)."""
    if settings.get("engine.kind") == "server":
        return int(settings.get("server.context_window") or 0)
    from hkpilot.engines.factory import local_model_path
    from hkpilot.engines.gguf import gguf_info

    n_ctx = int(settings.get("local.n_ctx"))
    try:
        trained = gguf_info(local_model_path(settings)).context_length
    except Exception:  # noqa: BLE001 - a missing or odd model: the settings' figure is all there is
        return n_ctx
    return min(n_ctx, trained) if trained else n_ctx
