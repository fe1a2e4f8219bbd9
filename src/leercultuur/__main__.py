"""Run the ``leercultuur`` command: ``python -m leercultuur``."""

import sys

from leercultuur.cli import main

sys.exit(main())
