"""Model integrity (tampered, unknown, pinned) and chat templates rendered only in a sandbox."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from hkpilot.cli import main
from hkpilot.engines import catalogue, chat_template
from hkpilot.errors import EngineError, ModelLoadError, ModelNotAllowed, ModelVerifyError
from tests.unit.test_gguf import make_gguf


def test_tampered_starter_is_refused(tmp_path: Path) -> None:
    fake = make_gguf(tmp_path / catalogue.STARTER.file_name)  # a file under the starter's name
    with pytest.raises(ModelVerifyError) as refused:
        catalogue.check_before_load(fake)
    assert refused.value.exit_code == 4


def test_stamp_is_checked_again_when_the_file_changes(tmp_path: Path) -> None:
    model = make_gguf(tmp_path / catalogue.STARTER.file_name)
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    catalogue._write_stamp(model, digest)
    assert catalogue.is_verified(model, digest)
    with model.open("ab") as f:
        f.write(b"\0")  # size and mtime change: the stamp no longer vouches for the file
    assert not catalogue.is_verified(model, digest)


def test_policy_pin_refuses_unknown_models_before_reading_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = make_gguf(tmp_path / "other.gguf")
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    parsed: list[Path] = []
    real_info = catalogue.gguf_info
    monkeypatch.setattr(catalogue, "gguf_info", lambda p: parsed.append(p) or real_info(p))
    with pytest.raises(ModelNotAllowed) as refused:
        catalogue.check_before_load(model, frozenset({"0" * 64}))
    assert refused.value.exit_code == 4 and parsed == []  # not even the header was parsed
    assert catalogue.check_before_load(model, frozenset({digest})).name == "Tiny Test"
    with model.open("r+b") as f:  # tampered after it was allowed: hashed again, refused
        f.seek(-1, os.SEEK_END)
        f.write(b"!")
    with pytest.raises(ModelNotAllowed):
        catalogue.check_before_load(model, frozenset({digest}))


def test_cli_refuses_an_unpinned_model(tmp_path: Path, _temp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = make_gguf(tmp_path / "other.gguf")
    doc = tmp_path / "a.txt"
    doc.write_text("Hello there.\n", encoding="utf-8")
    (_temp_home / "policy.toml").write_text(f'allowed_model_sha256 = ["{"1" * 64}"]\n', encoding="utf-8")
    code = main(["translate", str(doc), "--to", "zh-HK", "--model", str(model), "-o", str(tmp_path / "o.docx")])
    err = capsys.readouterr().err
    assert code == 4 and "not on your administrator's list" in err and not (tmp_path / "o.docx").exists()


# -- chat templates ---------------------------------------------------------------------------

MARKER = "hkpilot-ssti-marker"
HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c(['touch', '" + MARKER + "']) }}{% endif %}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "').read() }}",
    "{{ raise_exception.__globals__['__builtins__']['__import__']('os').system('touch " + MARKER + "') }}",
    "{{ self._TemplateReference__context }}",
    "{{ messages.append({'role': 'system', 'content': 'x'}) }}{{ messages }}",
    "{{ strftime_now.__globals__ }}",
]


@pytest.mark.parametrize("template", [*HOSTILE, "{{ ''.__class__ }}", "{{ raise_exception.__name__ }}"])
def test_hostile_chat_template_is_refused(tmp_path: Path, template: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A GGUF whose template reaches for Python internals is refused when the model is opened."""
    from hkpilot.engines.gguf import gguf_info

    monkeypatch.chdir(tmp_path)
    info = gguf_info(make_gguf(tmp_path / "evil.gguf", template=template))
    with pytest.raises(ModelLoadError) as refused:
        chat_template.check_template(info.chat_template, name="evil.gguf")
    assert refused.value.exit_code == 4 and "not allowed" in refused.value.render()
    formatter = chat_template.make_formatter(info.chat_template, "</s>", "<s>", name="evil.gguf")
    assert chat_template.is_sandboxed(formatter)
    with pytest.raises(EngineError):  # rendered anyway: refused again, never Python access
        chat_template.render(formatter, [{"role": "user", "content": "hi"}])
    assert not (tmp_path / MARKER).exists()


def test_hidden_template_attack_fails_the_job_that_triggers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    template = ("{% if messages|length > 4 %}{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "') }}"
                "{% endif %}{% for m in messages %}{{ m['content'] }}{% endfor %}")
    chat_template.check_template(template, name="sleeper.gguf")  # the sample conversations are too short
    formatter = chat_template.make_formatter(template, "</s>", "<s>", name="sleeper.gguf")
    assert chat_template.render(formatter, [{"role": "user", "content": "hi"}]).prompt == "hi"
    with pytest.raises(EngineError) as refused:
        chat_template.render(formatter, [{"role": "user", "content": "hi"}] * 5)
    assert refused.value.exit_code == 4 and not (tmp_path / MARKER).exists()


def test_ordinary_chat_templates_pass_the_check(starter_template: str) -> None:
    chatml = ("{% for m in messages %}{% if loop.first and m['role'] != 'system' %}<|im_start|>system\nHelpful."
              "<|im_end|>\n{% endif %}<|im_start|>{{ m['role'] }}\n{{ m['content'] | trim }}<|im_end|>\n{% endfor %}"
              "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
    strict = ("{% set ns = namespace(first=true) %}{% for m in messages %}{% if m['role'] == 'system' %}"
              "{{ raise_exception('System role not supported') }}{% endif %}{{ m.content.strip() }}"
              "{% set ns.first = false %}{% endfor %}{{ strftime_now('%Y') | length }}")
    for template in (starter_template, chatml, strict):
        chat_template.check_template(template, name="ok.gguf")


@pytest.fixture
def starter_template(starter_model: Path) -> str:
    from hkpilot.engines.gguf import gguf_info

    return gguf_info(starter_model).chat_template


def test_cli_refuses_a_model_with_a_hostile_template(tmp_path: Path, _temp_home: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    model = make_gguf(tmp_path / "evil.gguf", template=HOSTILE[2])
    doc = tmp_path / "a.txt"
    doc.write_text("Hello there.\n", encoding="utf-8")
    code = main(["translate", str(doc), "--to", "zh-HK", "--model", str(model), "-o", str(tmp_path / "o.docx")])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 4 and not (tmp_path / "o.docx").exists()
    assert len(err) == 1 and "evil.gguf" in err[0] and "chat template" in err[0], err


def test_a_template_outside_the_sandbox_would_be_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof the check bites: a formatter that used a plain Jinja2 environment is not accepted."""
    import jinja2
    from llama_cpp import llama_chat_format

    class Unsafe(llama_chat_format.Jinja2ChatFormatter):
        def __init__(self, template: str, eos_token: str, bos_token: str) -> None:
            self._environment = jinja2.Environment().from_string(template)

    monkeypatch.setattr(llama_chat_format, "Jinja2ChatFormatter", Unsafe)
    with pytest.raises(ModelLoadError):
        chat_template.make_formatter("{{ messages }}", "", "")


def test_engine_factory_checks_the_pin_before_anything_reads_the_model(
    tmp_path: Path, _temp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the path every job takes: the memory check and the GGUF reader never see an unlisted file."""
    from hkpilot.config.settings import Settings
    from hkpilot.engines import gguf
    from hkpilot.engines.factory import create_engine

    model = make_gguf(tmp_path / "other.gguf")
    (_temp_home / "policy.toml").write_text(f'allowed_model_sha256 = "{"2" * 64}, {"3" * 64}"\n', encoding="utf-8")
    touched: list[str] = []
    monkeypatch.setattr(gguf, "read_gguf_metadata", lambda *a, **k: touched.append("metadata"))
    monkeypatch.setattr("hkpilot.engines.memory_estimate.read_gguf_metadata", lambda *a, **k: touched.append("memory"))
    monkeypatch.setattr(catalogue, "gguf_info", lambda *a, **k: touched.append("info"))
    settings = Settings()
    settings.set("local.model_path", str(model))
    with pytest.raises(ModelNotAllowed):
        create_engine(settings)
    assert touched == []


def test_cli_refuses_a_tampered_starter(tmp_path: Path, _temp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file in the starter's place that is not the catalogued one: exit 4 before anything loads it."""
    fake = make_gguf(catalogue.starter_path())
    assert fake.parent.is_relative_to(_temp_home)
    doc = tmp_path / "a.txt"
    doc.write_text("Hello there.\n", encoding="utf-8")
    code = main(["translate", str(doc), "--to", "zh-HK", "-o", str(tmp_path / "o.docx")])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == 4 and not (tmp_path / "o.docx").exists()
    assert len(err) == 1 and catalogue.STARTER.file_name in err[0], err
