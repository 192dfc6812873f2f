"""`python -m hkpilot.gui` opens the desktop window."""

import sys

from hkpilot.gui.app import main

sys.exit(main())
