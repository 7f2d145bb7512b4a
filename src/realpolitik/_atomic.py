"""Write a file all at once: to a temporary file beside it, then moved into place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from realpolitik.errors import OutputError

__all__ = ["atomic_path"]


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target``, on any error or
    interruption (Ctrl-C included) it is removed and ``target`` is left as it was.

    Raises:
        OutputError: the operating system refused the write (of the temporary file or
            the move into place), naming ``target`` and why.

    Example:
        >>> import tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_path(out) as tmp:
        ...     _ = tmp.write_text("done")
        >>> out.read_text()
        'done'
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if not target.name or target.is_dir():
            raise OutputError(f"{str(target) or '(empty name)'}: cannot write there: {'it is a folder' if target.name else 'no file name'}")
        fd, name = tempfile.mkstemp(prefix=f".{target.name[:200]}.", suffix=".partial", dir=folder)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there: {exc.strerror or exc}") from None
    tmp = Path(name)
    # mkstemp makes the file private (0600); give it the mode a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write it: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
