"""A model's chat template is untrusted code: it is rendered only in Jinja2's immutable sandbox.

A GGUF file carries its chat template (``tokenizer.chat_template``), a Jinja2 program
that anyone who made the file wrote. Rendered in a plain Jinja2 environment it could
reach Python internals (CVE-2024-34359, llama-cpp-python before 0.2.72).
llama-cpp-python's ``Jinja2ChatFormatter`` uses ``ImmutableSandboxedEnvironment``;
``make_formatter`` checks that it still does, so an upgrade that changed it is refused
instead of trusted. A template that tries an unsafe operation fails to render, which the
engine reports as a typed error; attribute tricks that the sandbox hides render as empty.
"""

from __future__ import annotations

from typing import Any

from hkpilot.errors import EngineError, ModelLoadError
from hkpilot.i18n import N_

UNSAFE = N_("the model's chat template tried an operation that is not allowed; it was refused")


def is_sandboxed(formatter: Any) -> bool:
    """Whether ``formatter`` renders its template in Jinja2's immutable sandbox."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    template = getattr(formatter, "_environment", None)
    environment = getattr(template, "environment", None)
    return isinstance(environment, ImmutableSandboxedEnvironment)


def make_formatter(template: str, eos_token: str, bos_token: str, name: str = "") -> Any:
    """llama-cpp-python's chat formatter for ``template``, checked to be sandboxed."""
    import jinja2
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        formatter = Jinja2ChatFormatter(template=template, eos_token=eos_token, bos_token=bos_token)
    except jinja2.TemplateError as exc:
        raise ModelLoadError(name=name, detail=f"chat template: {type(exc).__name__}") from exc
    if not is_sandboxed(formatter):
        raise ModelLoadError(name=name, detail="the chat template would not be rendered in a sandbox")
    return formatter


def render(formatter: Any, messages: list[Any]) -> Any:
    """Render ``messages``; an unsafe template gives a typed error, never Python access."""
    from jinja2.exceptions import SecurityError

    try:
        return formatter(messages=messages)
    except SecurityError as exc:
        raise EngineError(detail=UNSAFE) from exc
    except Exception as exc:
        raise EngineError(detail=f"chat template failed: {type(exc).__name__}") from exc
