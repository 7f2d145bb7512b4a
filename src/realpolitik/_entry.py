"""The console script's entry point: light, so that a Ctrl-C while the command line
is still being imported is an interruption (exit 130), not a traceback."""

from __future__ import annotations

import sys


def main() -> int:
    """Import the command line and run it; Ctrl-C at any point exits 130 with one line."""
    try:
        from realpolitik.cli import main as run

        return run()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("interrupted\n")
        except Exception:  # noqa: BLE001 - stderr may be gone at shutdown
            pass
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
