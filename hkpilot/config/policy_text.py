"""Texts of the Group Policy templates (ADMX/ADML), marked for the gettext catalogue.

``tools/policy_templates.py`` builds ``installer/windows/policy/`` from the settings table
(``schema.OPTIONS``), the machine keys (``machine.MACHINE_KEYS``) and these texts, in
English and, through the zh-HK catalogue, in Traditional Chinese (Hong Kong).
"""

from __future__ import annotations

from hkpilot.i18n import N_

PRODUCT = "HKPilot"
DESCRIPTION = N_("Settings of HKPilot, the document copilot, set by Group Policy.")
SUPPORTED = N_("HKPilot 0.1 and later")
ROOT_CATEGORY = N_("HKPilot")
RECOMMENDED_CATEGORY = N_("HKPilot — default settings (users may change)")

SECTIONS = {
    "ui": N_("Interface"),
    "engine": N_("Engine"),
    "local": N_("Local model"),
    "server": N_("Inference server"),
    "generation": N_("Generation"),
    "models": N_("Models"),
    "update": N_("Updates"),
    "history": N_("History"),
    "glossary": N_("Glossary"),
    "security": N_("Security and classification"),
}
OTHER_SECTION = N_("Other")

CHOICES = {
    ("ui.language", ""): N_("Follow the system language"),
    ("ui.language", "en"): "English",
    ("ui.language", "zh-HK"): "繁體中文（香港）",
    ("engine.kind", "local"): N_("Local model on this computer"),
    ("engine.kind", "server"): N_("Department inference server"),
    ("network", "none"): N_("No network: this computer only"),
    ("network", "server"): N_("Only the inference server, its proxy and the update address"),
    ("network", "any"): N_("No restriction"),
}

EXPLAIN_VALUE = N_("Registry value {name} under HKLM\\{key}.")
EXPLAIN_SUBKEY = N_("Registry key HKLM\\{key}: one value per entry, its name and its text.")
EXPLAIN_MULTI = N_("A list: one item a line (REG_MULTI_SZ).")
EXPLAIN_LOCKED = N_("Users cannot change a value set by this policy; the settings window shows it greyed.")
EXPLAIN_RECOMMENDED = N_("A default value: users may change it in the settings window.")
EXPLAIN_DEFAULT = N_("Built-in default: {default}.")
EXPLAIN_RANGE = N_("From {minimum} to {maximum}.")
EXPLAIN_CHOICES = N_("Allowed values: {values}.")
EMPTY = N_("(empty)")
