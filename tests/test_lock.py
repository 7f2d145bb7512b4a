"""The locked requirements cover what pyproject.toml asks for, with one version of a
package across the three files, every pin with its hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _pins(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\]+)", text, re.M))
    blocks = re.split(r"^(?=[A-Za-z0-9])", text, flags=re.M)[1:]
    for block in blocks:  # every pinned package carries at least one hash
        assert "--hash=sha256:" in block, f"{path.name}: {block.splitlines()[0]} has no hash"
    return {_name(k): v for k, v in pins.items()}


@pytest.fixture(scope="module")
def project() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_every_dependency_of_each_install_is_pinned(project) -> None:  # type: ignore[no-untyped-def]
    extras = project["optional-dependencies"]
    wanted = {
        "run.txt": project["dependencies"],
        "news.txt": project["dependencies"] + extras["news"],
        "test.txt": project["dependencies"] + [r for name, deps in extras.items() for r in deps if not r.startswith("realpolitik")],
    }
    for file, requirements in wanted.items():
        pins = _pins(LOCKS / file)
        missing = sorted({_name(r) for r in requirements} - set(pins))
        assert not missing, f"requirements/{file} lacks {missing}: compile it again (requirements/README.md)"


def test_a_package_has_one_version_in_every_lock() -> None:
    everything = _pins(LOCKS / "test.txt")
    for file in ("run.txt", "news.txt"):
        for name, version in _pins(LOCKS / file).items():
            assert everything.get(name) == version, f"{name}: {version} in {file}, {everything.get(name)} in test.txt"


def test_the_readme_and_ci_install_from_the_lock() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first, second = re.findall(r"```bash\n(.*?)\n```", readme, re.S)[:2]
    assert "pip install -r requirements/run.txt" in first and "--no-deps -e ." in first and first.endswith("realpolitik run")
    assert "pip install -r requirements/test.txt" in second and "--no-deps -e ." in second and second.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/test.txt" in ci and "--no-deps -e ." in ci
