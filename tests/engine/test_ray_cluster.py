"""Ray for real: the CLI joins a separately started cluster, and workers run the compiled step.

``test_backends.py`` starts Ray inside the pytest process. Here a cluster is started
the way a user would (``ray start --head``), and ``realpolitik run --address`` joins
it from a separate process, so an ``ray.init`` this process may hold cannot stand in
for the cluster. The answers must be the local backend's, bit for bit.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import realpolitik
from realpolitik.engine import Intervention, numba_available, run
from realpolitik.engine._backends import LocalBackend, RayBackend
from realpolitik.errors import RealpolitikError

BIN = Path(sys.executable).parent
#: A hung start or run fails the test after this long instead of hanging the suite.
PATIENCE = 300.0


def _same_bits(x: np.ndarray, y: np.ndarray, what: str) -> None:
    """Two arrays hold the same bits (so -0.0 is not 0.0, and NaN equals NaN)."""
    x, y = np.asarray(x), np.asarray(y)
    assert (x.dtype, x.shape) == (y.dtype, y.shape), what
    if x.tobytes() != y.tobytes():
        first = np.flatnonzero(x.view(np.uint8).reshape(-1) != y.view(np.uint8).reshape(-1))[0] // x.itemsize
        raise AssertionError(f"{what}: first difference at flat index {first}: {x.reshape(-1)[first]!r} != {y.reshape(-1)[first]!r}")


def _bit_identical(a: realpolitik.Results, b: realpolitik.Results) -> None:
    """Answers, per-step summaries, kept paths, outcomes and parameters agree bit for bit."""
    assert a.to_json() == b.to_json()
    for part in ("steps", "trajectories", "outcomes", "parameters"):
        mine, theirs = getattr(a, part), getattr(b, part)
        assert mine.keys() == theirs.keys(), part
        for key in mine:
            _same_bits(mine[key], theirs[key], f"{part}[{key!r}]")


def _as_bits(doc: Any) -> Any:
    """A parsed JSON document with every float replaced by its exact hex form."""
    if isinstance(doc, float):
        return doc.hex()
    if isinstance(doc, dict):
        return {k: _as_bits(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_as_bits(v) for v in doc]
    return doc


# --- a cluster started with `ray start`, joined by the CLI in another process ----------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(root: int) -> list[int]:
    """The processes below ``root`` (from /proc; empty where there is none)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


@dataclass(frozen=True)
class _Cluster:
    address: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[_Cluster]:
    """A two-CPU head node of its own: own ports, own short temp dir (Ray's Unix socket
    paths must stay under ~107 characters), own authentication token.

    Torn down by killing the processes it started, by id: ``ray stop --force`` would
    kill every Ray process of this user on the machine, including other sessions'."""
    pytest.importorskip("ray", reason="the ray backend needs Ray (pip install 'realpolitik[cluster]')")
    if not (BIN / "ray").exists():
        pytest.skip(f"no ray command beside {sys.executable}")
    temp = tempfile.mkdtemp(prefix="rp", dir="/tmp" if Path("/tmp").is_dir() else None)
    log = Path(temp + ".log")
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_TOKEN_PATH")}
    # Ray 2.5x turns token authentication on for `ray start` when a token exists, but a
    # driver given an explicit address does not: both sides get this token explicitly.
    env.update(
        RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32), RAY_USAGE_STATS_ENABLED="0", PYTHONUNBUFFERED="1"
    )
    port = _free_port()
    command = [
        str(BIN / "ray"), "start", "--head", "--block", f"--port={port}", "--node-ip-address=127.0.0.1", "--num-cpus=2",
        "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}",
        f"--dashboard-port={_free_port()}", f"--dashboard-agent-listen-port={_free_port()}",
    ]  # fmt: skip
    with log.open("w") as out:
        head = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def stop() -> None:
        below = _descendants(head.pid)
        with_pids = [head.pid, *below]
        try:
            os.killpg(head.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in with_pids:  # any that left the process group
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        head.wait()
        shutil.rmtree(temp, ignore_errors=True)
        log.unlink(missing_ok=True)

    try:
        deadline = time.monotonic() + PATIENCE
        while "Ray runtime started" not in log.read_text():
            if head.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`ray start --head` did not start a cluster (exit {head.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield _Cluster(f"127.0.0.1:{port}", env)
    finally:
        stop()


def _cli(cluster: _Cluster, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "realpolitik", *args], env=cluster.env, capture_output=True, text=True, timeout=PATIENCE
    )
    assert done.returncode == 0, f"realpolitik {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done


#: Joins the cluster and lists what its control store (GCS) remembers: every job's
#: entry point and every actor's class and job. Ray's public listing (ray.util.state)
#: needs the dashboard, which the minimal install lacks.
PROBE = """
import json, sys, ray
from ray._private import state
ray.init(address=sys.argv[1], log_to_driver=False, configure_logging=False)
jobs = {j["JobID"]: j.get("Entrypoint", "") for j in state.jobs()}
actors = [[a["ActorClassName"], a["JobID"]] for a in state.actors().values()]
print(json.dumps({"jobs": jobs, "actors": actors}))
"""


@pytest.mark.slow
def test_the_cli_joins_a_running_cluster_and_answers_as_locally(ray_cluster: _Cluster) -> None:
    options = ["run", "--runs", "3000", "--horizon", "45", "--seed", "7", "--json", "--no-progress"]
    joined = _cli(ray_cluster, *options, "--backend", "ray", "--address", ray_cluster.address, "--workers", "2")
    # the CLI's workers use the compiled step wherever Numba is installed (and this
    # cluster shares this venv), so that is the local backend with the same bits
    step = "numba" if numba_available() else "numpy"
    local = _cli(ray_cluster, *options, "--backend", step)
    remote_doc, local_doc = json.loads(joined.stdout), json.loads(local.stdout)
    assert remote_doc["answers"], "no answers to compare"
    assert _as_bits(remote_doc) == _as_bits(local_doc)

    # the run really went to that cluster: its control store names the CLI's job, and
    # the two shard workers it started there
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, ray_cluster.address], env=ray_cluster.env, capture_output=True, text=True, timeout=PATIENCE
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    ours = [job for job, entry in seen["jobs"].items() if "realpolitik run" in entry and ray_cluster.address in entry]
    assert len(ours) == 1, seen["jobs"]
    assert [cls for cls, job in seen["actors"] if job == ours[0]] == ["_ShardWorker", "_ShardWorker"]


# --- workers with the compiled step, in this process -------------------------------------


@pytest.fixture(scope="module")
def ray_numba() -> Iterator[RayBackend]:
    """Two Ray workers with the Numba step: a local cluster started here, or the Ray this
    process holds already (then it needs two free CPUs, or the actors would wait forever)."""
    ray = pytest.importorskip("ray", reason="the ray backend needs Ray (pip install 'realpolitik[cluster]')")
    if not numba_available():
        pytest.skip("the compiled step needs Numba (pip install 'realpolitik[fast]')")
    if ray.is_initialized() and ray.available_resources().get("CPU", 0) < 2:
        pytest.skip("Ray is initialised in this process already, without two free CPUs")
    with RayBackend(workers=2, stepper="numba") as b:
        yield b


@pytest.mark.slow
@pytest.mark.parametrize("intervened", [False, True], ids=["plain", "intervention and design"])
def test_ray_workers_with_the_compiled_step_match_the_local_compiled_step(ray_numba: RayBackend, intervened: bool) -> None:
    scenario = realpolitik.load("default")
    runs = 2500
    options: dict[str, Any] = dict(runs=runs, seed=13, horizon=25, keep_trajectories=40)
    if intervened:
        options["intervention"] = Intervention.parse(
            force=["interceptor_allocation=divert_to_middle_east@3"], force_events=["unsc_resolution_tabled@10"]
        )
        options["parameters"] = {scenario.model.parameters[0].name: np.linspace(0.1, 0.9, runs)}
    assert len(ray_numba.bounds(runs, 65536)) > 1  # several shards, over both workers
    remote = run(scenario, backend=ray_numba, **options)
    local = run(scenario, backend=LocalBackend("numba"), **options)
    assert ray_numba.step_name() == "numba"
    _bit_identical(local, remote)


def test_an_address_other_than_the_joined_cluster_is_refused(ray_numba: RayBackend) -> None:
    # this process is connected to ray_numba's cluster; nothing listens on port 1
    with pytest.raises(RealpolitikError, match="already connected .* cannot join 127.0.0.1:1"):
        RayBackend(workers=1, address="127.0.0.1:1", stepper="numpy")
