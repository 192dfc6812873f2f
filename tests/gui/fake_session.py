"""A small Session stand-in for GUI tests: real settings, scripted jobs, no model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx

from hkpilot.config.settings import Settings
from hkpilot.documents.model import Block, BlockKind, Document
from hkpilot.engines.base import CancelToken
from hkpilot.errors import DocumentUnsupported
from hkpilot.tasks.events import Event, Notice, Progress, Result, Token


class FakeSession:
    """Jobs stream words of their input; ``delay`` slows each token, ``endless`` never ends."""

    def __init__(self, delay: float = 0.0, endless: bool = False) -> None:
        self.settings = Settings()
        self.delay = delay
        self.endless = endless
        self.reset_count = 0
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def engine_label(self) -> str:
        return "Local · fake-model.gguf"

    def reset_engine(self) -> None:
        self.reset_count += 1

    def open_document(self, path: Path) -> Document:
        path = Path(path)
        if path.suffix.lower() == ".docx":
            texts = [p.text for p in docx.Document(str(path)).paragraphs]
            fmt = "docx"
        elif path.suffix.lower() == ".pdf":
            from hkpilot.documents.loader import load_document

            return load_document(path)  # the real reader: page-anchored blocks
        elif path.suffix.lower() == ".txt":
            texts = path.read_text(encoding="utf-8").splitlines()
            fmt = "txt"
        else:
            raise DocumentUnsupported(name=path.name)
        blocks = [Block(f"p:{i}", BlockKind.PARAGRAPH, t) for i, t in enumerate(texts, 1)]
        return Document(path=path, format=fmt, blocks=blocks)

    def _stream(self, words: list[str], cancel: CancelToken, anchor: str = "") -> Iterator[Token]:
        while True:
            for word in words:
                cancel.check()
                if self.delay and cancel.wait(self.delay):
                    cancel.check()
                yield Token(word + " ", anchor)
            if not self.endless:
                return

    def translate_job(
        self,
        doc: Document,
        target: str,
        output: Path,
        cancel: CancelToken,
        layout: str = "replace",
        glossary: list[Path] | None = None,
    ) -> Iterator[Event]:
        self.calls.append(("translate", (doc.path, target, output)))
        self.last_layout = layout
        self.last_glossary = glossary
        blocks = doc.text_blocks
        yield Progress(0, len(blocks))
        translated = []
        for i, block in enumerate(blocks, 1):
            words = [w.upper() for w in block.text.split()]
            yield from self._stream(words, cancel, block.anchor)
            yield Token("\n\n", block.anchor)
            translated.append(" ".join(words))
            yield Progress(i, len(blocks))
        d = docx.Document()
        for text in translated:
            d.add_paragraph(text)
        output.parent.mkdir(parents=True, exist_ok=True)
        d.save(str(output))
        translations = {block.anchor: text for block, text in zip(blocks, translated, strict=True)}
        yield Result(output_path=output, stats={"blocks": len(blocks), "translations": translations})

    def summarise_job(self, doc: Document, length: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        self.calls.append(("summarise", (doc.path, length, lang)))
        words = ["Summary:", *doc.full_text().split()[:6]]
        yield Progress(0, 1)
        yield from self._stream(words, cancel)
        yield Notice("Only {percent}% of the reference material fits in the model's context.", {"percent": 50})
        yield Progress(1, 1)
        yield Result(text=" ".join(words), coverage=0.5, stats={"tokens_per_s": 42.0})

    def draft_job(
        self, doc_type: str, lang: str, points: str, cancel: CancelToken, references: list[Document] | None = None
    ) -> Iterator[Event]:
        self.calls.append(("draft", (doc_type, lang, points, tuple(d.path for d in references or []))))
        words = ["MEMO", *points.split()]
        yield from self._stream(words, cancel)
        yield Result(text=" ".join(words))



class FakeRewriteSession(FakeSession):
    """A session that also offers ``rewrite_job`` (the real one may not yet)."""

    def rewrite_job(self, text: str, action: str, lang: str, cancel: CancelToken) -> Iterator[Event]:
        self.calls.append(("rewrite", (text, action, lang)))
        yield from self._stream(["REWRITTEN"], cancel)
        yield Result(text="REWRITTEN")
