"""``python -m realpolitik`` runs the command line."""

import sys

from realpolitik._entry import main

sys.exit(main())
