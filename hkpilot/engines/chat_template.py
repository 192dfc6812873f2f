"""A model's chat template is untrusted code: it is rendered only in Jinja2's immutable sandbox.

A GGUF file carries its chat template (``tokenizer.chat_template``), a Jinja2 program
that anyone who made the file wrote. Rendered in a plain Jinja2 environment it could
reach Python internals (CVE-2024-34359, llama-cpp-python before 0.2.72).
llama-cpp-python's ``Jinja2ChatFormatter`` uses ``ImmutableSandboxedEnvironment``;
``make_formatter`` checks that it still does, so an upgrade that changed it is refused
instead of trusted, and makes the sandbox strict: where Jinja2 would hand an unsafe
attribute (``__class__``, ``__globals__``, ``list.append``...) back as an empty value,
HKPilot's environment raises at once. ``check_template`` renders sample conversations
before the model's weights are loaded, so a template that reaches for Python internals
is refused when the model is opened (``ModelLoadError``, exit 4); one that hides its
attempt behind a condition fails the job that triggers it (``EngineError``, exit 4).
"""

from __future__ import annotations

from typing import Any

from hkpilot.errors import EngineError, ModelLoadError
from hkpilot.i18n import N_, gettext

UNSAFE = N_("the model's chat template tried an operation that is not allowed; it was refused")


def is_sandboxed(formatter: Any) -> bool:
    """Whether ``formatter`` renders its template in Jinja2's immutable sandbox."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    template = getattr(formatter, "_environment", None)
    environment = getattr(template, "environment", None)
    return isinstance(environment, ImmutableSandboxedEnvironment)


def _refuse_unsafe(obj: Any, attribute: Any) -> Any:
    from jinja2.exceptions import SecurityError

    raise SecurityError(f"unsafe attribute {str(attribute)[:40]!r} of a {type(obj).__name__} object")


def make_formatter(template: str, eos_token: str, bos_token: str, name: str = "") -> Any:
    """llama-cpp-python's chat formatter for ``template``, checked to be sandboxed, made strict."""
    import jinja2
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        formatter = Jinja2ChatFormatter(template=template, eos_token=eos_token, bos_token=bos_token)
    except jinja2.TemplateError as exc:
        raise ModelLoadError(name=name, detail=f"chat template: {type(exc).__name__}") from exc
    if not is_sandboxed(formatter):
        raise ModelLoadError(name=name, detail="the chat template would not be rendered in a sandbox")
    # The sandbox's getattr/getitem call this for an attribute it will not give out; raising
    # there (instead of returning an empty value) turns every escape attempt into a refusal.
    # Compiled again afterwards: Jinja2 folds constant expressions (''.__class__) while
    # compiling, which would have kept the empty value.
    environment: Any = formatter._environment.environment  # the ImmutableSandboxedEnvironment checked above
    environment.unsafe_undefined = _refuse_unsafe
    try:
        formatter._environment = environment.from_string(template)
    except jinja2.TemplateError as exc:
        raise ModelLoadError(name=name, detail=f"chat template: {type(exc).__name__}") from exc
    return formatter


PROBES: tuple[list[dict[str, str]], ...] = (
    [{"role": "system", "content": "You translate."}, {"role": "user", "content": "Hello."}],
    [{"role": "user", "content": "Hello."}],
    [{"role": "user", "content": "Hello."}, {"role": "assistant", "content": "Hi."}, {"role": "user", "content": "Bye."}],
)


def check_template(template: str, name: str = "") -> None:
    """Refuse (ModelLoadError) a chat template that tries an unsafe operation on sample conversations.

    Called before the weights are loaded. A template that rejects a conversation shape
    (``raise_exception`` for a system message) is not refused: that is its right.
    """
    from jinja2.exceptions import SecurityError

    formatter = make_formatter(template, "</s>", "<s>", name=name)
    for messages in PROBES:
        try:
            formatter(messages=[dict(m) for m in messages])
        except SecurityError as exc:
            raise ModelLoadError(name=name, detail=gettext(UNSAFE)) from exc
        except Exception:  # noqa: BLE001 - the template's own checks; the job reports them if they matter
            continue


def render(formatter: Any, messages: list[Any]) -> Any:
    """Render ``messages``; an unsafe template gives a typed error, never Python access."""
    from jinja2.exceptions import SecurityError

    try:
        return formatter(messages=messages)
    except SecurityError as exc:
        raise EngineError(detail=UNSAFE) from exc
    except Exception as exc:
        raise EngineError(detail=f"chat template failed: {type(exc).__name__}") from exc
