"""No page of the manual names what does not exist: every ``gigbench.`` name in backticks
imports or resolves, every repository path in backticks exists, and every ``group.key`` and
``group=option`` in backticks is a key or option that a run can compose. The README and
``docs/**/*.md`` are read; ``docs/extending/`` belongs to the plugins' own test.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from gigbench.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
    *sorted(
        p for p in (ROOT / "docs").rglob("*.md") if "extending" not in p.relative_to(ROOT).parts
    ),
]
GROUPS = ("instance", "solver", "objective", "pricing", "reposition", "supply", "pay_rule",
          "market", "mode", "run", "experiment")  # fmt: skip
ANY_GROUP = "|".join(GROUPS)
TOP = ("bench", "solvers", "instances", "configs", "tests", "docs", ".ci")
FILES = ("pyproject.toml", "README.md", "CHANGELOG.md", "mkdocs.yml")
SUFFIXES = ("py", "yaml", "md", "json", "csv", "parquet", "png")


def spans() -> list[tuple[str, str]]:
    """``(page, text)`` of every inline code span outside fenced blocks."""
    found = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        for span in re.findall(r"`([^`\n]+)`", text):
            found.append((str(page.relative_to(ROOT)), span.strip()))
    return found


SPANS = spans()


def _resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module, or an attribute path inside one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


# Entry-point group names (gigbench.pricing) are names of groups, not of modules.
ENTRY_GROUPS = {kind.entry_group for kind in KINDS.values()}
NAMES = sorted({m.group(1) for _, s in SPANS if (m := re.match(r"(gigbench(?:\.\w+)+)", s))}
               - ENTRY_GROUPS)  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_dotted_names_resolve(name) -> None:
    pages = sorted({p for p, s in SPANS if s.startswith(name)})
    assert _resolves(name), f"{name} (cited in {', '.join(pages)}) does not import or resolve"


def _is_path(span: str) -> bool:
    return (span in FILES or (span.split("/")[0] in TOP and "/" in span)) and " " not in span


PATHS = sorted({s.split("::")[0] for _, s in SPANS if _is_path(s) and "<" not in s})


@pytest.mark.parametrize("path", PATHS)
def test_repository_paths_exist(path) -> None:
    pages = sorted({p for p, s in SPANS if s.split("::")[0] == path})
    found = list(ROOT.glob(path)) if "*" in path else [p for p in [ROOT / path] if p.exists()]
    assert found, f"{path} (cited in {', '.join(pages)}) is not in the repository"


def _reference_keys() -> set[str]:
    """Every ``group.key`` of the generated configuration reference (held current by
    tests/docs/test_docs_reference.py)."""
    text = (ROOT / "docs" / "reference" / "config.md").read_text()
    return set(re.findall(rf"^\| `((?:{ANY_GROUP})\.[\w.]+)` \|", text, re.M))


KEYS = _reference_keys()
KEY_SPANS = sorted({m.group(1) for _, s in SPANS
                    if (m := re.fullmatch(rf"((?:{ANY_GROUP})\.\w+(?:\.\w+)*)(?:=\S*)?", s))
                    and m.group(1).rsplit(".", 1)[1] not in SUFFIXES})  # fmt: skip
OPTION_SPANS = sorted({(m.group(1), v) for _, s in SPANS
                       if (m := re.fullmatch(rf"\+?({ANY_GROUP})=([\w,]+)", s))
                       for v in m.group(2).split(",")})  # fmt: skip


def test_the_reference_lists_keys() -> None:
    assert {"mode.k", "run.timeout_s", "objective.lambda", "pricing.core"} <= KEYS


@pytest.mark.parametrize("key", KEY_SPANS)
def test_config_keys_exist(key) -> None:
    pages = sorted({p for p, s in SPANS if s.split("=")[0] == key})
    # A key inside a list or a dict (instance.hourly_profile[3]) is checked by its node.
    assert any(key == k or key.startswith(k + ".") for k in KEYS), (
        f"{key} (cited in {', '.join(pages)}) is no key of any option of its group"
    )


@pytest.mark.parametrize(("group", "option"), OPTION_SPANS)
def test_group_options_exist(group, option) -> None:
    assert (ROOT / "configs" / group / f"{option}.yaml").is_file(), f"no option {group}={option}"


def _readme_links() -> list[str]:
    """Relative link targets of the README and the changelog (mkdocs checks the pages')."""
    found = []
    for page in (ROOT / "README.md", ROOT / "CHANGELOG.md"):
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        found += [t for t in re.findall(r"\]\(([^)#\s]+)", text) if "://" not in t]
    return sorted(set(found))


@pytest.mark.parametrize("target", _readme_links())
def test_readme_links_exist(target) -> None:
    if target.startswith("docs/extending/") and not (ROOT / "docs" / "extending").is_dir():
        pytest.skip("docs/extending/ is written beside this branch (the plugins' guides)")
    assert (ROOT / target).exists(), f"README links to {target}, which does not exist"
