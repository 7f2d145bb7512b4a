"""Collection settings for the whole tree (``--doctest-modules`` covers ``src``)."""

import importlib.util

# The compiled step's modules import Numba when loaded; without the ``fast`` extra
# their doctests cannot be collected (the numba backend then reports itself missing).
collect_ignore_glob = [] if importlib.util.find_spec("numba") else ["src/realpolitik/engine/_numba*.py"]
