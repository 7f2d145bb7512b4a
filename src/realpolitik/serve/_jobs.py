"""Long work on the page's behalf: one job at a time, with progress and cancellation.

A job is a function of a ``progress(done, total)`` callback, run in a thread of its
own. Cancelling sets a flag that the next call of the callback turns into a private
exception, so the engine stops between two steps and nothing half-computed is kept.
Every job waits on the app's compute lock, so jobs and synchronous requests never
run ensembles side by side.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["JobBusy", "Jobs", "MAX_KEPT_JOBS"]

logger = logging.getLogger(__name__)

#: Finished jobs kept for their results (the oldest go first).
MAX_KEPT_JOBS = 8

#: The states a job passes through; the last three are final.
STATES = ("queued", "running", "done", "cancelled", "failed")

#: ``work(progress)`` -> the job's result (plain data, ready for JSON).
Work = Callable[[Callable[[int, int], None]], Any]


class _Cancelled(Exception):
    """Raised from the progress callback of a cancelled job: stops the engine between steps."""


class JobBusy(Exception):
    """Another job is queued or running; ``job_id`` names it."""

    def __init__(self, job_id: str) -> None:
        super().__init__(job_id)
        self.job_id = job_id


class _Job:
    """One job's state, changed under :attr:`Jobs.lock` only."""

    def __init__(self, job_id: str, kind: str) -> None:
        self.id = job_id
        self.kind = kind
        self.state = "queued"
        self.done = 0
        self.total = 0
        self.result: Any = None
        self.error: str | None = None
        self.cancel = threading.Event()

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "state": self.state, "done": self.done, "total": self.total}
        if self.state == "done":
            out["result"] = self.result
        if self.error is not None:
            out["error"] = self.error
        return out


class Jobs:
    """The jobs of one server: at most one queued or running at a time.

    Args:
        compute: the lock every ensemble runs under (shared with synchronous requests).
        describe_error: turns an exception a job raised into the one-line message its
            ``error`` shows.
    """

    def __init__(self, compute: threading.Lock, describe_error: Callable[[BaseException], str]) -> None:
        self.lock = threading.Lock()
        self._compute = compute
        self._describe_error = describe_error
        self._jobs: dict[str, _Job] = {}
        self._threads: list[threading.Thread] = []

    def start(self, kind: str, work: Work) -> dict[str, Any]:
        """Queue ``work`` as a job of ``kind`` and return its state.

        Raises:
            JobBusy: a job is already queued or running.
        """
        with self.lock:
            busy = next((j for j in self._jobs.values() if j.active), None)
            if busy is not None:
                raise JobBusy(busy.id)
            job = _Job(secrets.token_hex(8), kind)
            self._jobs[job.id] = job
            self._forget_old()
            thread = threading.Thread(target=self._run, args=(job, work), name=f"realpolitik-job-{job.id}", daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            state = job.to_dict()
        thread.start()
        return state

    def get(self, job_id: str) -> dict[str, Any] | None:
        """A job's state (with its result once done), or None for an unknown id."""
        with self.lock:
            job = self._jobs.get(job_id)
            return None if job is None else job.to_dict()

    def cancel(self, job_id: str) -> dict[str, Any] | None:
        """Cancel a queued or running job (a finished one stays as it is); its state,
        or None for an unknown id. The engine stops at its next step."""
        with self.lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.active:
                job.cancel.set()
                job.state = "cancelled"
            return job.to_dict()

    def close(self, timeout: float = 5.0) -> None:
        """Cancel every job and wait (up to ``timeout`` seconds each) for their threads."""
        with self.lock:
            for job in self._jobs.values():
                if job.active:
                    job.cancel.set()
                    job.state = "cancelled"
            threads = list(self._threads)
        for t in threads:
            t.join(timeout)

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if not j.active]
        for k in finished[: max(0, len(self._jobs) - MAX_KEPT_JOBS)]:
            del self._jobs[k]

    def _run(self, job: _Job, work: Work) -> None:
        def progress(done: int, total: int) -> None:
            if job.cancel.is_set():
                raise _Cancelled
            with self.lock:
                job.done, job.total = int(done), int(total)

        with self._compute:
            with self.lock:
                if job.cancel.is_set():
                    return
                job.state = "running"
            try:
                result = work(progress)
            except _Cancelled:
                return
            except Exception as exc:  # noqa: BLE001 - a failed job reports, the server goes on
                if not job.cancel.is_set():
                    logger.warning("job %s (%s) failed", job.id, job.kind, exc_info=not _expected(exc))
                with self.lock:
                    if not job.cancel.is_set():
                        job.state, job.error = "failed", self._describe_error(exc)
                return
            with self.lock:
                if not job.cancel.is_set():  # cancelled after its last step: the result is not wanted
                    job.state, job.result = "done", result
                    job.done = job.total = max(job.total, 1)


def _expected(exc: BaseException) -> bool:
    """Errors a user's input causes (their message says it all: no traceback in the log)."""
    from realpolitik.errors import RealpolitikError

    return isinstance(exc, (RealpolitikError, ValueError, MemoryError))
