from hkpilot.tasks.guard import LoopGuard


def _feed(text: str, step: int = 7) -> LoopGuard:
    guard = LoopGuard()
    for i in range(0, len(text), step):
        if guard.feed(text[i : i + step]):
            break
    return guard


def test_normal_text_passes() -> None:
    text = "\n".join(f"Paragraph {i}: the office will open at {i} o'clock." for i in range(40))
    guard = _feed(text)
    assert guard.cut_at is None and guard.result() == text


def test_repeated_line_is_cut_after_second_copy() -> None:
    block = "備忘錄\n發文者：香港特區政府\n事由：根據以上要點草擬\n"
    guard = _feed("開始\n" + block * 6)
    assert guard.cut_at is not None
    assert guard.result().count("發文者：香港特區政府") == 1


def test_repeated_stretch_without_newlines() -> None:
    guard = _feed("Intro. " + "The closure has led to a reduction in public service. " * 30)
    assert guard.cut_at is not None
    assert len(guard.result()) < 400
