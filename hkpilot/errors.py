"""Typed errors the user can meet.

Each error carries a stable ``code`` and parameters; the faces (CLI, GUI) render the
message in the user's language from the English template marked with ``N_``. Nothing
here holds document text, so an error can be logged as it is.
"""

from __future__ import annotations

from typing import Any, ClassVar

from hkpilot.i18n import N_, gettext


class HKPilotError(Exception):
    """Base of every error HKPilot reports to a person."""

    code: ClassVar[str] = "error"
    template: ClassVar[str] = N_("Something went wrong: {detail}")
    exit_code: ClassVar[int] = 1

    def __init__(self, template: str | None = None, **params: Any) -> None:
        if template is not None:
            self.template = template  # type: ignore[misc]
        self.params = params
        super().__init__(self.render(translate=False))

    def render(self, translate: bool = True) -> str:
        """The message in the current UI language (English when ``translate`` is false)."""
        text = gettext(self.template) if translate else self.template
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text


class UsageError(HKPilotError):
    code = "usage"
    template = N_("Invalid use: {detail}")
    exit_code = 2


class DocumentError(HKPilotError):
    """The input document cannot be used (corrupt, encrypted, empty, wrong type...)."""

    code = "document"
    template = N_("The document cannot be used: {detail}")
    exit_code = 3


class DocumentNotFound(DocumentError):
    code = "document.not_found"
    template = N_("File not found: {path}")


class DocumentCorrupt(DocumentError):
    code = "document.corrupt"
    template = N_("The file {name} is damaged or is not a valid {kind} file.")


class DocumentEncrypted(DocumentError):
    code = "document.encrypted"
    template = N_("The file {name} is protected by a password and cannot be opened.")


class DocumentEmpty(DocumentError):
    code = "document.empty"
    template = N_("The file {name} contains no text to work on.")


class DocumentZeroBytes(DocumentEmpty):
    """A file of 0 bytes (an interrupted copy or download, usually): said as such."""

    template = N_("The file {name} is empty (0 bytes). It may not have been copied or saved completely.")


class DocumentUnsupported(DocumentError):
    code = "document.unsupported"
    template = N_("The file {name} is not a supported type (use .docx, .pdf, .xlsx or .txt).")


class DocumentTooLarge(DocumentError):
    code = "document.too_large"
    template = N_("The file {name} is too large or expands too much to be read safely.")


class DocumentMislabelled(DocumentError):
    """The name promises one format and the bytes hold another (a PDF named .docx)."""

    code = "document.mislabelled"
    template = N_(
        "The file {name} is really in {kind} format, not the one its name says: rename it to end in {suffix} and try again."
    )


class DocumentStructureDamaged(DocumentCorrupt):
    """A PDF readable only by rebuilding its cross-reference table, or with a looping page tree."""

    code = "document.damaged_structure"
    template = N_(
        "The PDF {name} is damaged: its cross-reference table or page tree is broken. "
        "Open it in a PDF viewer, save a new copy and try again."
    )


class DocumentScanned(DocumentError):
    code = "document.scanned"
    template = N_("The PDF {name} is a scanned image with no text layer; it needs OCR first.")


class OutputError(HKPilotError):
    code = "output"
    template = N_("The output file {path} could not be written: {detail}")
    exit_code = 3


class OutputExists(OutputError):
    code = "output.exists"
    template = N_("The output file {path} already exists; use --force to replace it.")


class EngineError(HKPilotError):
    """The model or the inference server failed."""

    code = "engine"
    template = N_("The language model failed: {detail}")
    exit_code = 4


class ModelNotFound(EngineError):
    code = "engine.model_not_found"
    template = N_(
        "Model file not found: {path}. "
        "Install the starter model with 'hkpilot models install-starter' or choose a model in Settings."
    )


class ModelLoadError(EngineError):
    code = "engine.model_load"
    template = N_("The model {name} could not be loaded: {detail}")


class ModelVerifyError(EngineError):
    code = "engine.model_verify"
    template = N_("The model file {name} failed its integrity check (SHA-256 mismatch).")


class ModelNotAllowed(EngineError):
    code = "engine.model_not_allowed"
    template = N_(
        "The model file {name} is not on your administrator's list of allowed models "
        "(SHA-256 {digest}); it was not loaded."
    )


class KeyringMissing(EngineError):
    code = "keyring.unavailable"
    template = N_(
        "No system keyring is available, so the API key was not stored. "
        "Set the environment variable HKPILOT_API_KEY to give the key to HKPilot instead."
    )


class ServerUnreachable(EngineError):
    code = "server.unreachable"
    template = N_("Cannot reach the inference server at {url}: {detail}")


class ServerAuthRefused(EngineError):
    code = "server.auth"
    template = N_("The inference server at {url} refused the API key (HTTP {status}).")


class ServerModelUnknown(EngineError):
    code = "server.model_unknown"
    template = N_("The inference server does not offer the model '{model}'.")


class ContextTooLong(EngineError):
    code = "engine.context_too_long"
    template = N_("The text is too long for the model's context window ({tokens} tokens, limit {limit}).")


class ServerError(EngineError):
    code = "server.error"
    template = N_("The inference server returned an error (HTTP {status}): {detail}")


class ServerTimeout(EngineError):
    code = "server.timeout"
    template = N_("The inference server at {url} did not answer in time ({seconds} s).")


class ServerTLSError(EngineError):
    code = "server.tls"
    template = N_(
        "The secure connection to {url} could not be verified: {detail}. "
        "If your department uses its own certificate authority, ask your administrator to install it."
    )


class ServerBusy(EngineError):
    code = "server.busy"
    template = N_("The inference server at {url} is busy (HTTP {status}) and refused {attempts} attempts; try again later.")


class ServerBadStream(EngineError):
    code = "server.bad_stream"
    template = N_("The inference server sent an answer that cannot be read: {detail}")


class PolicyRefused(HKPilotError):
    code = "policy"
    template = N_("Refused by your administrator's policy: {detail}")
    exit_code = 5


class NetworkRefused(PolicyRefused):
    code = "policy.network"
    template = N_("Refused by your administrator's policy: no network connection to {host} is allowed ({why}).")


class ClassificationRefused(PolicyRefused):
    code = "policy.classification"
    template = N_(
        "{name} is marked {level}; your administrator allows only documents up to {cap} on the {engine}. "
        "Nothing was sent."
    )


class Cancelled(HKPilotError):
    """The user stopped the work; faces do not report this as an error."""

    code = "cancelled"
    template = N_("Cancelled.")
    exit_code = 130
