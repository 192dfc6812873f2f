"""Frozen entry point of the ``hkpilot`` console program (CLI, and the window with no arguments)."""

import sys

from hkpilot.cli import main

if __name__ == "__main__":
    sys.exit(main())
