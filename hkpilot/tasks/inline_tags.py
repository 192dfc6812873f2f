"""Translation with inline formatting tags: the prompt rule, the check, the shown text.

A block's ``markup`` (documents/inline_markup.py) carries its formatting as light tags.
The model is told to keep them around the same words; an answer that lost some is asked
for once more; the tags are hidden from the text streamed to the person; and what the
writer could not keep comes back as Notices.
"""

from __future__ import annotations

from hkpilot.documents import inline_markup as im
from hkpilot.documents.model import WriteReport
from hkpilot.engines.base import Message
from hkpilot.i18n import N_
from hkpilot.tasks.events import Notice, Token

TAG_RULE = (
    "The text contains formatting tags such as <b>…</b>, <i>…</i>, <u>…</u>, <1>…</1> and "
    "placeholders such as <2/>. Keep every tag: put each pair around the words that translate "
    "the words it surrounds, and each placeholder where it belongs in the sentence. "
    "Do not add, number or translate tags."
)

# A worked example with tags, in each direction (the stock example has none).
_TAGGED_EXAMPLE = {
    "en": "Applications must reach us <b>by 30 June</b>. See <1>the guide</1><2/> for details.",
    "zh": "申請必須<b>於6月30日前</b>送達。詳情請參閱<1>指南</1><2/>。",
}

_FORMAT_LOST = N_(
    "In {count} paragraphs the model dropped formatting tags: those words kept the paragraph's main format."
)
_OBJECTS_RESTORED = N_(
    "The model dropped {count} pictures, fields or note marks; they were put back at the start or end of their paragraphs."
)
_PLAIN = N_("{count} paragraphs with unusual structure were written as plain text in the paragraph's own format.")


def has_tags(text: str) -> bool:
    return not im.inventory(text).empty


def with_tag_rules(messages: list[Message], text: str) -> list[Message]:
    """``messages`` with the tag rule and a tagged example added, when ``text`` has tags."""
    if not has_tags(text) or not messages:
        return messages
    out = [dict(m) for m in messages]
    if out[0]["role"] == "system":
        out[0]["content"] = f"{out[0]['content']} {TAG_RULE}"
    else:
        out[-1]["content"] = f"{TAG_RULE}\n\n{out[-1]['content']}"
    if len(out) >= 3:  # a conversation with a worked example: add one with tags before the text
        src_is_en = not any("\u4e00" <= ch <= "\u9fff" for ch in im.strip_tags(text))
        out[-1:-1] = [
            {"role": "user", "content": _TAGGED_EXAMPLE["en" if src_is_en else "zh"]},
            {"role": "assistant", "content": _TAGGED_EXAMPLE["zh" if src_is_en else "en"]},
        ]
    return out  # type: ignore[return-value]


def tags_kept(source: str, translated: str) -> bool:
    """Whether ``translated`` kept all the tags of ``source`` (always true without tags)."""
    return im.check(source, translated).ok if has_tags(source) else True


class TagStripper:
    """Hide tags from streamed tokens, even when a tag arrives split over several tokens."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        cut = text.rfind("<")
        if cut >= 0 and ">" not in text[cut:] and len(text) - cut <= 6:
            text, self._held = text[:cut], text[cut:]
        return im.strip_tags(text)

    def token(self, event: Token) -> Token:
        return Token(self.feed(event.text), event.anchor)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held


def report_notices(report: WriteReport | None) -> list[Notice]:
    """Warnings for what the writer could not keep (none when all went well)."""
    if report is None:
        return []
    notices = []
    counts = ((report.lost_format, _FORMAT_LOST), (report.restored_objects, _OBJECTS_RESTORED), (report.plain, _PLAIN))
    for count, message in counts:
        if count:
            notices.append(Notice(message, {"count": count}))
    return notices
