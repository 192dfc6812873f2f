"""`python -m hkpilot` runs the command-line front end."""

import sys

from hkpilot.cli import main

sys.exit(main())
