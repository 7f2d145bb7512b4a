"""A fuzzing harness on a time budget (Hypothesis): scenario files, expressions,
intervention files, price files and command lines, generated and mutated, must get
the promise itself: exit status 0, 1, 2 or 130 with one-line messages, never a
traceback; memory under a fixed ceiling; and no file read outside the paths given
(a sentinel file outside them, which the generated inputs name, is never opened).

The number of examples per property is ``$REALPOLITIK_FUZZ_EXAMPLES`` (default 100:
about a minute in all on CI); raise it for a longer campaign.
"""

from __future__ import annotations

import os
import re
import resource
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.cli import main
from realpolitik.errors import ExpressionError
from realpolitik.expr import compile_expression

EXAMPLES = int(os.environ.get("REALPOLITIK_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], derandomize=True)

#: How much the process's peak memory may grow over the whole campaign.
MEMORY_CEILING_MIB = 1500

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "scenario-language.md").read_text(encoding="utf-8"), re.S)[0]

# A file outside every path the fuzzed inputs are given; they name it, and it must never be opened.
_SENTINEL_DIR = Path(tempfile.mkdtemp(prefix="realpolitik-sentinel-"))
SENTINEL = _SENTINEL_DIR / "secret.txt"
SENTINEL.write_text("TOP SECRET\n", encoding="utf-8")
_opened: list[str] = []


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if "realpolitik-sentinel-" in path:
            _opened.append(path)


sys.addaudithook(_audit)  # (audit hooks cannot be removed; this one only records the sentinel)
_START_RSS = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cli(capsys, argv: list[str]) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    _opened.clear()
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.err
    assert code in (0, 1, 2, 130), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in captured.out, (argv, err)
    if code == 1:
        assert "unexpected" not in err, (argv, err)  # the net caught an error nothing foresaw: a finding
        assert err.strip() or captured.out.strip(), argv  # something says why (check prints its problems)
        lines = [line for line in err.splitlines() if line.strip()]
        assert all(line.startswith(("error:", "warning:", "Error", "note:")) or line.startswith(" ") for line in lines), (argv, err)
    if not any(str(SENTINEL) in a for a in argv):  # a path the user names may be read; one a file names, not
        assert not _opened, f"{argv}: opened {_opened}"
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _START_RSS) / 1024
    assert grown < MEMORY_CEILING_MIB, f"{argv}: peak memory grew by {grown:.0f} MiB"
    return code, err


# --- scenario files: the documented example, mutated -----------------------------------

_VALUES = st.sampled_from(
    ["", "0", "-1", "1e400", "10" + "0" * 400, ".nan", ".inf", "true", "null", "[]", "{}", "'x'", "&a [1]", "*a", "[1, [2, [3]]]",
     "2026-02-30", "9999-12-31", "\"\\ud800\"", "\"\\x00\"", "ｃｌｏｓｕｒｅ_cost", "lambda", "closure_cost ** closure_cost ** 99",
     "\"" + "(" * 300 + "1" + ")" * 300 + "\"", f"{{file: {SENTINEL}}}", f"{SENTINEL}", "../../../../../../etc/hostname"]
)  # fmt: skip


@st.composite
def _mutated_scenario(draw) -> str:  # type: ignore[no-untyped-def]
    lines = EXAMPLE.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "indent", "sources"]))
        if action == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(_VALUES)}"
        elif action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip()
        else:
            lines.append(f"sources:\n  S9: {{file: {SENTINEL}, title: t}}\nextends: {SENTINEL}")
        if not lines:
            break
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=_mutated_scenario())
def test_any_mutated_scenario_is_checked_or_refused_in_one_line_each(capsys, tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "sources").mkdir()
    (folder / "sources" / "article.txt").write_text("The strait standoff would hurt its own exports.\n", encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    code, _ = _cli(capsys, ["check", str(path)])
    if code == 0:
        _cli(capsys, ["run", str(path), "--runs", "20", "--horizon", "3", "--no-progress"])


# --- scenario data: any YAML structure with the format's keys ---------------------------

_KEYS = st.sampled_from(["name", "clock", "start", "horizon_days", "step_days", "parameters", "variables", "prior", "dist", "initial",
                         "type", "levels", "bounds", "questions", "kind", "condition", "text", "extends", "sources", "file", "x"])  # fmt: skip
_LEAVES = st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text(max_size=12) | st.sampled_from([str(SENTINEL), "2026-01-01"])
_DATA = st.recursive(_LEAVES, lambda c: st.lists(c, max_size=4) | st.dictionaries(_KEYS, c, max_size=5), max_leaves=25)


@FUZZ
@given(data=_DATA)
def test_any_yaml_data_as_a_scenario_is_refused_or_checked(capsys, tmp_path_factory, data: object) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _cli(capsys, ["check", str(path)])


# --- expressions -----------------------------------------------------------------------

_TOKENS = st.sampled_from(["x", "y", "1", "0", "1e308", "-", "+", "*", "/", "**", "%", "//", "(", ")", "not", "and", "or", "<", "==", ",",
                           "where", "clip", "exp", "log", "max", "min", "normal", "()", "x.y", "[0]", "lambda", "__import__", "'a'",
                           "date(\"2026-01-01\")", "open", "eval", "if", "else", "ｘ", "\x00", "\n"])  # fmt: skip


@settings(max_examples=EXAMPLES * 10, deadline=None, derandomize=True)
@given(st.lists(_TOKENS, max_size=30).map(" ".join) | st.text(max_size=60))
def test_any_expression_text_compiles_or_is_an_expression_error(text: str) -> None:
    try:
        compiled = compile_expression(text, known={"x", "y"})
    except ExpressionError:
        return
    from realpolitik.expr import RESERVED_NAMES

    assert compiled.names <= {"x", "y"} | RESERVED_NAMES


# --- intervention and price files, through the commands that read them --------------------

_FILE_TEXT = st.one_of(
    st.text(max_size=200),
    _DATA.map(lambda d: yaml.safe_dump(d)),
    st.lists(st.tuples(st.sampled_from(["2026-03-09", "2026-03-10", "1999-01-01", "not-a-date", "2026-13-01"]),
                       st.sampled_from(["80", "-5", "nan", "inf", "1e400", "abc", ""])), max_size=6)
    .map(lambda rows: "Date,Price\n" + "".join(f"{d},{p}\n" for d, p in rows)),
)  # fmt: skip


@FUZZ
@given(text=_FILE_TEXT, which=st.sampled_from(["whatif", "prices"]))
def test_any_intervention_or_price_file_is_read_or_refused_in_one_line(capsys, tmp_path_factory, text: str, which: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.txt"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    if which == "whatif":
        _cli(capsys, ["whatif", "--file", str(path), "--runs", "20", "--horizon", "3", "--no-progress"])
    else:
        _cli(capsys, ["run", "--runs", "20", "--horizon", "3", "--as-of", "2026-03-11", "--prices", f"brent={path}", "--no-progress"])


# --- command lines ---------------------------------------------------------------------

_COMMANDS = st.sampled_from(["run", "check", "whatif", "forecast", "sensitivity", "discover", "update", "watch", "backtest", "report", "calibrate", "ingest", "nosuch"])
_OPTIONS = st.sampled_from(["--runs", "--seed", "--horizon", "--as-of", "--db", "--prices", "--set", "--force", "--force-event", "--by",
                            "--outcome", "--variable", "--days", "--samples", "--method", "--threshold", "--out", "--json", "--backend",
                            "--batch-size", "-o", "--oil", "--episodes", "--since", "--question", "--file", "--sources"])  # fmt: skip
_ARGS = st.sampled_from(["0", "1", "3", "-1", "2026-03-11", "2020-01-01", "x", "", "brent", "brent=nowhere.csv", "escalation == red_line",
                         "V2", "1,2", "numpy", "sobol", "0.5", "1e999", "x=1", "closure=open@3", str(SENTINEL), "out.parquet", "nowhere"])  # fmt: skip


@FUZZ
@given(command=_COMMANDS, rest=st.lists(_OPTIONS | _ARGS, max_size=8))
def test_any_command_line_exits_0_1_2_or_130_with_one_line_messages(capsys, tmp_path_factory, monkeypatch, command: str, rest: list[str]) -> None:
    where = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(where)
    monkeypatch.setenv("REALPOLITIK_DB", str(where / "news.duckdb"))  # never the user's store
    argv = [command, *rest]
    # small ensembles, so that a case takes seconds: a --runs the line gives is capped too
    if command in ("run", "whatif", "discover", "update", "watch", "report", "forecast", "sensitivity"):
        argv += ["--runs", "20"]
    if command in ("run", "whatif", "discover", "update", "watch", "report", "sensitivity"):
        argv += ["--horizon", "3"]
    if command in ("sensitivity", "report"):
        argv += ["--samples", "2"]
    for i, a in enumerate(argv[:-1]):
        if a == "--runs" and argv[i + 1].isdigit() and int(argv[i + 1]) > 50:
            argv[i + 1] = "20"
    _cli(capsys, argv)


def test_the_sentinel_is_readable_and_its_opening_is_recorded() -> None:
    # what makes "never opened" mean something: the file is there, and the hook sees an open of it
    _opened.clear()
    with SENTINEL.open(encoding="utf-8") as f:
        assert f.read() == "TOP SECRET\n"
    assert _opened == [str(SENTINEL)]
    _opened.clear()
