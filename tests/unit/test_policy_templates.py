"""The Group Policy templates cover every lockable setting and never drift from the table."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

from hkpilot.config.machine import MACHINE_KEYS, POLICY_KEY, RECOMMENDED_KEY
from hkpilot.config.schema import OPTIONS

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "installer" / "windows" / "policy"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("policy_templates", ROOT / "tools" / "policy_templates.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["policy_templates"] = module
    spec.loader.exec_module(module)
    return module


def test_committed_templates_are_up_to_date(gen: ModuleType) -> None:
    files = gen.generate()
    stale = [p.relative_to(ROOT) for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run: python tools/policy_templates.py ({stale})"


def _admx() -> etree._Element:
    return etree.parse(str(POLICY / "hkpilot.admx")).getroot()


def test_every_lockable_setting_has_a_locked_and_a_recommended_policy() -> None:
    policies = _admx().findall(".//p:policies/p:policy", NS)
    by_value: dict[tuple[str, str], etree._Element] = {}
    for pol in policies:
        names = {el.get("valueName") for el in pol.iter() if el.get("valueName")}
        tables = pol.findall(".//p:list", NS)  # a table: a subkey named after the key, one value an entry
        if tables:
            (table,) = tables
            assert not names and table.get("key", "").startswith(POLICY_KEY + "\\"), pol.get("name")
            names = {table.get("key", "").rsplit("\\", 1)[1]}
        assert len(names) == 1, pol.get("name")
        by_value[(pol.get("key") or "", names.pop() or "")] = pol
        assert pol.get("class") == "Machine"
    for option in OPTIONS:
        if option.lockable and not option.secret:
            assert (POLICY_KEY, option.key) in by_value, f"no policy locks {option.key}"
            assert (RECOMMENDED_KEY, option.key) in by_value, f"no recommended policy for {option.key}"
        else:
            assert not any(k[1] == option.key for k in by_value), f"{option.key} must not be a policy"
    for key in MACHINE_KEYS:
        assert (POLICY_KEY, key.key) in by_value
    assert all(k[0] in (POLICY_KEY, RECOMMENDED_KEY) for k in by_value)  # only Policies\HKPilot


SECURITY_KEYS = ("network", "server_max_classification", "local_max_classification", "classification_allow_lower",
                 "classification_markings", "allowed_model_sha256", "audit_log", "output_label", "recovery")


def test_every_policy_key_the_program_reads_is_offered() -> None:
    """Each key the features read from ``policy.extra`` has a policy, lists as REG_MULTI_SZ."""
    root = _admx()
    read = set(SECURITY_KEYS) | {"models.allowed", "glossary.default", "models.shared_dir", "update.url",
                                 "update.disabled", "server.max_parallel", "server.retry_after_cap"}
    for key in read:
        assert root.xpath(f'//p:policy[@key="{POLICY_KEY}"]//*[@valueName="{key}"] | '
                          f'//p:policy[@key="{POLICY_KEY}" and @valueName="{key}"]', namespaces=NS), key
    for key in ("allowed_model_sha256", "classification_markings", "models.allowed", "glossary.default"):
        (el,) = root.xpath(f'//*[@valueName="{key}"]', namespaces=NS)
        assert etree.QName(el).localname == "multiText", key
    (network,) = root.xpath('//p:enum[@valueName="network"]', namespaces=NS)
    assert [s.text for s in network.findall(".//p:string", NS)] == ["none", "server", "any"]
    (headers,) = root.xpath("//p:list", namespaces=NS)
    assert headers.get("key") == POLICY_KEY + "\\server.headers" and headers.get("explicitValue") == "true"


def test_choices_and_ranges_follow_the_table() -> None:
    root = _admx()
    for option in OPTIONS:
        if not option.lockable or option.secret:
            continue
        (el,) = root.xpath(f'//p:policy[@key="{POLICY_KEY}"]/descendant-or-self::*[@valueName="{option.key}"]', namespaces=NS)
        if option.choices:
            values = [s.text or "" for s in el.findall(".//p:string", NS)]
            assert values == list(option.choices)
        elif etree.QName(el).localname == "decimal":
            assert float(el.get("minValue")) == (option.minimum or 0)
            assert float(el.get("maxValue")) == option.maximum


@pytest.mark.parametrize("lang", ["en-US", "zh-HK"])
def test_every_string_and_presentation_is_defined(lang: str) -> None:
    admx_text = (POLICY / "hkpilot.admx").read_text(encoding="utf-8")
    adml = etree.parse(str(POLICY / lang / "hkpilot.adml")).getroot()
    strings = {s.get("id"): s.text or "" for s in adml.findall(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id"): p for p in adml.findall(".//p:presentationTable/p:presentation", NS)}
    for sid in set(re.findall(r"\$\(string\.([^)]+)\)", admx_text)):
        assert strings.get(sid, "").strip(), f"{lang}: string {sid} undefined or empty"
    for pid in set(re.findall(r"\$\(presentation\.([^)]+)\)", admx_text)):
        assert pid in presentations, f"{lang}: presentation {pid} undefined"
        refs = {el.get("refId") for el in presentations[pid]}
        assert refs == {pid}


def test_chinese_templates_are_translated() -> None:
    en = {s.get("id"): s.text for s in etree.parse(str(POLICY / "en-US" / "hkpilot.adml")).getroot().iter(f"{{{NS['p']}}}string")}
    zh = {s.get("id"): s.text for s in etree.parse(str(POLICY / "zh-HK" / "hkpilot.adml")).getroot().iter(f"{{{NS['p']}}}string")}
    for option in OPTIONS:
        if option.lockable and not option.secret:
            sid = option.key.replace(".", "_").replace("-", "_")
            assert zh[sid] != en[sid] and re.search(r"[\u4e00-\u9fff]", zh[sid] or ""), f"{sid} not translated"
            assert re.search(r"[\u4e00-\u9fff]", zh[sid + "_Explain"] or "")


def test_lines_stay_short_for_intune() -> None:
    for path in [POLICY / "hkpilot.admx", *POLICY.glob("*/hkpilot.adml")]:
        longest = max(len(line) for line in path.read_text(encoding="utf-8").splitlines())
        assert longest <= 200, f"{path.name}: a line of {longest} characters"
