"""``hkpilot --selftest`` from the source tree, on the real starter model.

(tests/packaging runs the same on the frozen build.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _selftest(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(env, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "hkpilot", *args, "--selftest"], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.model
def test_selftest_passes_and_names_each_source(starter_model: Path, cli_env: dict[str, str]) -> None:
    home = Path(cli_env["HKPILOT_HOME"])
    home.mkdir(parents=True)
    (home / "defaults.toml").write_text(f'"local.model_path" = "{starter_model}"\n"server.url" = "https://x.example/v1"\n',
                                        encoding="utf-8")
    (home / "policy.toml").write_text('[locked]\n"generation.max_tokens" = 512\n[defaults]\n"local.n_ctx" = 2048\n',
                                      encoding="utf-8")
    (home / "config").mkdir()
    (home / "config" / "settings.toml").write_text('[generation]\ntemperature = 0.3\n', encoding="utf-8")
    proc = _selftest(cli_env)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    for label in ("imports", "resources and catalogues", "write and read a .docx", "open the window offscreen",
                  "one completion with the local model"):
        assert f"ok    {label}" in out, label
    assert "llama_cpp 0.3.36" in out and "qwen2.5-0.5b-instruct-q4_k_m.gguf" in out
    assert "(from source," in out
    assert "local.model_path = " in out and "[installer default]" in out
    assert "generation.max_tokens = 512  [policy (locked)]" in out
    assert "local.n_ctx = 2048  [policy default]" in out
    assert "generation.temperature = 0.3  [user]" in out
    assert "engine.kind = 'local'  [default]" in out
    assert "no update check" in out and out.rstrip().endswith("Self-test passed.")


def test_selftest_reports_a_broken_model_in_chinese(cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\xff" * 64)
    home = Path(cli_env["HKPILOT_HOME"])
    home.mkdir(parents=True)
    (home / "policy.toml").write_text(f'[locked]\n"local.model_path" = "{bad}"\n', encoding="utf-8")
    proc = _selftest(cli_env, "--lang", "zh-HK")
    assert proc.returncode == 1
    assert "FAIL  以本機模型完成一次生成" in proc.stdout and "ModelLoadError" in proc.stdout
    assert "[政策（已鎖定）]" in proc.stdout and "自我測試失敗：1 項檢查未通過。" in proc.stdout
