"""HKPilot: a desktop document copilot for Hong Kong civil servants."""

__version__ = "0.1.0"
