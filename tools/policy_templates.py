#!/usr/bin/env python3
"""Generate the Group Policy templates from the settings table, so they never drift.

    python tools/policy_templates.py           # (re)write installer/windows/policy/
    python tools/policy_templates.py --check   # exit 1 when the files are out of date

Writes ``hkpilot.admx`` and ``en-US/hkpilot.adml``, ``zh-HK/hkpilot.adml``, and the policy
keys table of ``docs/DEPLOYMENT.md`` (between its markers). Every lockable,
non-secret option of ``hkpilot/config/schema.py`` becomes a policy under
``HKLM\\SOFTWARE\\Policies\\HKPilot`` (locked) and another under ``...\\Recommended``
(a default users may change); the machine keys of ``hkpilot/config/machine.py``
(models folder, update check, the security keys of ``config/security.py``) are policies
only. Registry value names are the setting keys; lists are ``REG_MULTI_SZ`` (multiText)
and tables a subkey of the same name (list). Lines stay short (one element a line) for
Intune's custom ADMX import.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hkpilot import i18n  # noqa: E402
from hkpilot.config import policy_text as txt  # noqa: E402
from hkpilot.config.machine import MACHINE_KEYS, MSI_PROPERTIES, POLICY_KEY, RECOMMENDED_KEY, MachineKey  # noqa: E402
from hkpilot.config.schema import OPTIONS, Option  # noqa: E402

OUT = ROOT / "installer" / "windows" / "policy"
NAMESPACE = "HKPilot.Policies.HKPilot"
LANGUAGES = {"en-US": "en", "zh-HK": "zh-HK"}
DWORD_MAX = 4_294_967_295


def ident(key: str) -> str:
    """An ADMX name for a setting key (engine.kind -> engine_kind)."""
    return key.replace(".", "_").replace("-", "_")


@dataclass
class Policy:
    name: str
    key: str  # setting key = registry value name
    registry_key: str
    category: str
    label: str
    explain: list[str]
    kind: str  # enum, decimal, text, bool, multitext (REG_MULTI_SZ), list (a subkey of name = value)
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None
    explain_args: dict[str, dict[str, object]] = field(default_factory=dict)


def _kind(option: Option) -> str:
    if option.choices:
        return "enum"
    if option.type is bool:
        return "bool"
    if option.type is int and (option.minimum or 0) >= 0 and (option.maximum or 0) <= DWORD_MAX:
        return "decimal"
    return "text"  # floats and negative integers: REG_SZ, converted by HKPilot


def policies() -> list[Policy]:
    """Every policy the templates define, mandatory ones first."""
    out: list[Policy] = []
    lockable = [o for o in OPTIONS if o.lockable and not o.secret]
    for recommended in (False, True):
        for o in lockable:
            section = o.key.split(".")[0]
            explain = [o.label, txt.EXPLAIN_VALUE, txt.EXPLAIN_RECOMMENDED if recommended else txt.EXPLAIN_LOCKED]
            args: dict[str, dict[str, object]] = {
                txt.EXPLAIN_VALUE: {"name": o.key, "key": RECOMMENDED_KEY if recommended else POLICY_KEY}
            }
            if o.choices:
                explain.append(txt.EXPLAIN_CHOICES)
                args[txt.EXPLAIN_CHOICES] = {"values": ", ".join(repr(c) for c in o.choices)}
            if o.minimum is not None and o.maximum is not None:
                explain.append(txt.EXPLAIN_RANGE)
                args[txt.EXPLAIN_RANGE] = {"minimum": _num(o.minimum), "maximum": _num(o.maximum)}
            explain.append(txt.EXPLAIN_DEFAULT)
            args[txt.EXPLAIN_DEFAULT] = {"default": o.default}
            out.append(
                Policy(
                    name=ident(o.key) + ("_Recommended" if recommended else ""),
                    key=o.key,
                    registry_key=RECOMMENDED_KEY if recommended else POLICY_KEY,
                    category=("Rec_" if recommended else "Cat_") + section,
                    label=o.label,
                    explain=explain,
                    kind=_kind(o),
                    choices=o.choices,
                    minimum=o.minimum,
                    maximum=o.maximum,
                    default=o.default,
                    explain_args=args,
                )
            )
    for m in MACHINE_KEYS:
        explain = [m.explain, txt.EXPLAIN_SUBKEY if m.type is dict else txt.EXPLAIN_VALUE]
        where = {"name": m.key, "key": f"{POLICY_KEY}\\{m.key}" if m.type is dict else POLICY_KEY}
        args: dict[str, dict[str, object]] = {explain[1]: where}
        if m.type is list:
            explain.append(txt.EXPLAIN_MULTI)
        if m.choices:
            explain.append(txt.EXPLAIN_CHOICES)
            args[txt.EXPLAIN_CHOICES] = {"values": ", ".join(repr(c) for c in m.choices)}
        if m.default is not None:
            explain.append(txt.EXPLAIN_DEFAULT)
            args[txt.EXPLAIN_DEFAULT] = {"default": m.default}
        out.append(
            Policy(
                name=ident(m.key),
                key=m.key,
                registry_key=POLICY_KEY,
                category="Cat_" + _section(m.key),
                label=m.label,
                explain=explain,
                kind=_machine_kind(m),
                choices=m.choices,
                default=m.default,
                explain_args=args,
            )
        )
    return out


def _machine_kind(m: MachineKey) -> str:
    if m.choices:
        return "enum"
    return {bool: "bool", int: "decimal", list: "multitext", dict: "list"}.get(m.type, "text")


def _section(key: str) -> str:
    """The category of a key: its first part (``server.url``: server), the security keys together."""
    return "security" if key in SECURITY_KEYS else key.split(".")[0]


SECURITY_KEYS = ("network", "server_max_classification", "local_max_classification", "classification_allow_lower",
                 "classification_markings", "audit_log", "output_label", "recovery")


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _categories(pols: list[Policy]) -> list[tuple[str, str, str | None]]:
    """(name, text, parent) for the two roots and each section used."""
    cats: list[tuple[str, str, str | None]] = [
        ("HKPilot", txt.ROOT_CATEGORY, None),
        ("HKPilot_Recommended", txt.RECOMMENDED_CATEGORY, None),
    ]
    for p in pols:
        if p.category not in [c[0] for c in cats]:
            section = p.category.split("_", 1)[1]
            parent = "HKPilot_Recommended" if p.category.startswith("Rec_") else "HKPilot"
            cats.append((p.category, txt.SECTIONS.get(section, txt.OTHER_SECTION), parent))
    return cats


def admx(pols: list[Policy]) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by tools/policy_templates.py from hkpilot/config/schema.py: do not edit. -->",
        '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0"',
        '  xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
        "  <policyNamespaces>",
        f'    <target prefix="hkpilot" namespace="{NAMESPACE}"/>',
        "  </policyNamespaces>",
        '  <resources minRequiredRevision="1.0"/>',
        "  <supportedOn>",
        "    <definitions>",
        '      <definition name="SUPPORTED_HKPilot_0_1" displayName="$(string.SUPPORTED_HKPilot_0_1)"/>',
        "    </definitions>",
        "  </supportedOn>",
        "  <categories>",
    ]
    for name, _text, parent in _categories(pols):
        if parent is None:
            lines.append(f'    <category name="{name}" displayName="$(string.{name})"/>')
        else:
            lines += [
                f'    <category name="{name}" displayName="$(string.{name})">',
                f'      <parentCategory ref="{parent}"/>',
                "    </category>",
            ]
    lines.append("  </categories>")
    lines.append("  <policies>")
    for p in pols:
        lines += _policy(p)
    lines += ["  </policies>", "</policyDefinitions>", ""]
    return "\n".join(lines)


def _policy(p: Policy) -> list[str]:
    el = ident(p.key)
    head = [
        f'    <policy name="{p.name}" class="Machine"',
        f'      displayName="$(string.{el})"',
        f'      explainText="$(string.{p.name}_Explain)"',
    ]
    if p.kind != "bool":
        head.append(f'      presentation="$(presentation.{el})"')
    head.append(f'      key="{escape(p.registry_key)}"' + (f' valueName="{p.key}">' if p.kind == "bool" else ">"))
    body = [f'      <parentCategory ref="{p.category}"/>', '      <supportedOn ref="SUPPORTED_HKPilot_0_1"/>']
    if p.kind == "bool":
        body += [
            '      <enabledValue><decimal value="1"/></enabledValue>',
            '      <disabledValue><decimal value="0"/></disabledValue>',
        ]
    else:
        body.append("      <elements>")
        if p.kind == "enum":
            body.append(f'        <enum id="{el}" valueName="{p.key}" required="true">')
            for i, choice in enumerate(p.choices):
                body.append(f'          <item displayName="$(string.{el}_{i})">')
                body.append(f"            <value><string>{escape(choice)}</string></value>")
                body.append("          </item>")
            body.append("        </enum>")
        elif p.kind == "decimal":
            body.append(
                f'        <decimal id="{el}" valueName="{p.key}" required="true"'
                f' minValue="{_num(p.minimum or 0)}" maxValue="{_num(p.maximum if p.maximum is not None else DWORD_MAX)}"/>'
            )
        elif p.kind == "multitext":  # REG_MULTI_SZ: one item a line
            body.append(f'        <multiText id="{el}" valueName="{p.key}" required="true"/>')
        elif p.kind == "list":  # a subkey holding one value per entry, named by the administrator
            body.append(f'        <list id="{el}" key="{escape(p.registry_key)}\\{p.key}" explicitValue="true"/>')
        else:
            body.append(f'        <text id="{el}" valueName="{p.key}" required="true" maxLength="1024"/>')
        body.append("      </elements>")
    return head + body + ["    </policy>"]


def _t(text: str, lang: str) -> str:
    i18n.set_language(lang)
    try:
        return i18n.gettext(text)
    finally:
        i18n.set_language("en")


def _choice_text(key: str, choice: str, lang: str) -> str:
    label = txt.CHOICES.get((key, choice))
    return _t(label, lang) if label else choice


def strings(pols: list[Policy], lang: str) -> dict[str, str]:
    """Every $(string.X) of the ADMX, in ``lang``."""
    out = {"SUPPORTED_HKPilot_0_1": _t(txt.SUPPORTED, lang)}
    for name, text, _parent in _categories(pols):
        out[name] = _t(text, lang)
    for p in pols:
        el = ident(p.key)
        out[el] = _t(p.label, lang)
        parts = []
        for template in p.explain:
            params = {k: (_t(txt.EMPTY, lang) if v == "" else v) for k, v in p.explain_args.get(template, {}).items()}
            parts.append(_t(template, lang).format(**params))
        out[f"{p.name}_Explain"] = "\n\n".join(parts)
        for i, choice in enumerate(p.choices):
            out[f"{el}_{i}"] = _choice_text(p.key, choice, lang)
    return out


def _presentations(pols: list[Policy], lang: str) -> list[str]:
    lines: list[str] = []
    done: set[str] = set()
    for p in pols:
        el = ident(p.key)
        if p.kind == "bool" or el in done:
            continue
        done.add(el)
        label = escape(_t(p.label, lang))
        lines.append(f'      <presentation id="{el}">')
        if p.kind == "enum":
            default = p.choices.index(p.default) if p.default in p.choices else 0
            lines.append(f'        <dropdownList refId="{el}" noSort="true" defaultItem="{default}">{label}</dropdownList>')
        elif p.kind == "decimal":
            default = f' defaultValue="{p.default}"' if p.default is not None else ""
            lines.append(f'        <decimalTextBox refId="{el}"{default}>{label}</decimalTextBox>')
        elif p.kind == "multitext":
            lines.append(f'        <multiTextBox refId="{el}">{label}</multiTextBox>')
        elif p.kind == "list":
            lines.append(f'        <listBox refId="{el}">{label}</listBox>')
        else:
            lines.append(f'        <textBox refId="{el}">')
            lines.append(f"          <label>{label}</label>")
            if p.default not in (None, ""):
                lines.append(f"          <defaultValue>{escape(str(p.default))}</defaultValue>")
            lines.append("        </textBox>")
        lines.append("      </presentation>")
    return lines


# Where a long line of explanation may break: after a space or Chinese punctuation.
_BREAK_AFTER = " ，。；、：）"
WRAP = 150


def wrap(text: str, width: int = WRAP) -> str:
    """``text`` with no line longer than ``width``, broken at a space or after Chinese punctuation.

    Keeps the ADML's lines short for Intune's custom-ADMX import; the explanation pane shows
    the extra line breaks, which read like the paragraph breaks already there.
    """
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = max(line.rfind(ch, width // 2, width) for ch in _BREAK_AFTER)
            cut = cut + 1 if cut >= 0 else width
            out.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        out.append(line)
    return "\n".join(out)


def adml(pols: list[Policy], lang: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!-- Generated by tools/policy_templates.py: do not edit. -->",
        '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema"',
        '  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0"',
        '  xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
        f"  <displayName>{escape(txt.PRODUCT)}</displayName>",
        f"  <description>{escape(_t(txt.DESCRIPTION, lang))}</description>",
        "  <resources>",
        "    <stringTable>",
    ]
    for sid, text in strings(pols, lang).items():
        lines.append(f"      <string id={quoteattr(sid)}>{escape(wrap(text))}</string>")
    lines += ["    </stringTable>", "    <presentationTable>"]
    lines += _presentations(pols, lang)
    lines += ["    </presentationTable>", "  </resources>", "</policyDefinitionResources>", ""]
    return "\n".join(lines)


DOC = ROOT / "docs" / "DEPLOYMENT.md"
TABLE_START, TABLE_END = "<!-- policy-table:start (generated by tools/policy_templates.py) -->", "<!-- policy-table:end -->"


def markdown_table() -> str:
    """The policy keys table of docs/DEPLOYMENT.md."""
    msi = {key: prop for prop, key in MSI_PROPERTIES.items()}
    rows = ["| Key (registry value / TOML key) | Type | Default | Range or values | MSI property | Meaning |",
            "|---|---|---|---|---|---|"]
    for o in OPTIONS:
        if not o.lockable or o.secret:
            continue
        if o.choices:
            values = ", ".join(f"`{c}`" if c else "`\"\"`" for c in o.choices)
        elif o.minimum is not None and o.maximum is not None:
            values = f"{_num(o.minimum)} to {_num(o.maximum)}"
        else:
            values = ""
        kind = {"decimal": "REG_DWORD", "bool": "REG_DWORD 0/1"}.get(_kind(o), "REG_SZ")
        default = f"`{o.default}`" if o.default != "" else "(empty)"
        rows.append(f"| `{o.key}` | {kind} | {default} | {values} | {msi.get(o.key, '')} | {o.label} |")
    for m in MACHINE_KEYS:
        kind = {bool: "REG_DWORD 0/1", int: "REG_DWORD", list: "REG_MULTI_SZ (or REG_SZ)",
                dict: f"subkey `{m.key}`, one REG_SZ a name"}.get(m.type, "REG_SZ")
        values = ", ".join(f"`{c}`" for c in m.choices)
        default = "(none)" if m.default is None else f"`{m.default}`"
        meaning = m.explain.replace("|", "\\|")  # a pipe would end the cell
        rows.append(f"| `{m.key}` (machine only) | {kind} | {default} | {values} | {msi.get(m.key, '')} | {meaning} |")
    return "\n".join(rows)


def _doc_with_table() -> str | None:
    if not DOC.is_file():
        return None
    text = DOC.read_text(encoding="utf-8")
    if TABLE_START not in text or TABLE_END not in text:
        return None
    head, rest = text.split(TABLE_START, 1)
    _old, tail = rest.split(TABLE_END, 1)
    return f"{head}{TABLE_START}\n{markdown_table()}\n{TABLE_END}{tail}"


def generate() -> dict[Path, str]:
    pols = policies()
    files = {OUT / "hkpilot.admx": admx(pols)}
    for folder, lang in LANGUAGES.items():
        files[OUT / folder / "hkpilot.adml"] = adml(pols, lang)
    doc = _doc_with_table()
    if doc is not None:
        files[DOC] = doc
    return files


def main(argv: list[str]) -> int:
    files = generate()
    if "--check" in argv:
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)} (run: python tools/policy_templates.py)")
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
