"""Frozen entry point of the windowed ``HKPilot`` launcher (Windows: no console window)."""

import sys

from hkpilot.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
