"""``python -m realpolitik`` runs the command line."""

import sys

from realpolitik.cli import main

sys.exit(main())
