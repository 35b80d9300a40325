"""Write docs/reference/config.md, the configuration reference, from the code and configs/.

    python docs/reference/generate_config.py           # rewrite the page
    python docs/reference/generate_config.py --check   # exit 1 when the page is stale

Every group of ``configs/config.yaml``'s defaults list, every option (YAML file) of each group
and every key of each option, composed by Hydra exactly as a run composes it: the defaults are
what a run gets. Each key's type and meaning come from the option's schema, the plugin's
``Params`` dataclass (its inline comment, else the ``key: meaning`` its docstring gives);
options come from the files, so a new plugin or option appears here by regenerating the page
(``tests/docs/test_docs_reference.py`` fails until it is).
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import sys
import typing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "config.md"
CONFIGS = ROOT / "configs"

# What each group chooses, and the page that explains it (the one hand-written part).
MARKET = "../market.md#"
WHAT = {
    "instance": ("the market's demand and supply: a generator or a trip log", "../instances.md"),
    "solver": ("the matching algorithm", "../solvers.md"),
    "objective": ("how a candidate (worker, task) pair is weighted",
                  MARKET + "objectives-benchmarketobjective-configsobjective"),
    "pricing": ("how fares are set before the match and settled after it",
                MARKET + "pricing-policies-benchmarketpricing-configspricing"),
    "reposition": ("where idle drivers wait",
                   MARKET + "repositioning-benchmarketreposition-configsreposition"),
    "supply": ("who works each day", "../supply.md"),
    "pay_rule": ("a floor under the worker's pay per trip, or a cap on the platform's take",
                 MARKET + "pay-rules-benchmarketpay_rule-configspay_rule"),
    "mode": ("a closed-loop simulation, or a fixed set of problems", "../running.md"),
    "market": ("currency, vehicle costs and the minimum wage fairness is measured against",
               MARKET + "markets-configsmarket"),
    "run": ("how the harness runs each job: limits, isolation, reruns (not part of the run id)",
            "../running.md#isolation-claims-limits-reruns"),
}  # fmt: skip


def defaults() -> dict[str, str]:
    """Group -> default option, from the defaults list of ``configs/config.yaml``."""
    found = {}
    for line in (CONFIGS / "config.yaml").read_text().splitlines():
        match = re.match(r"\s+- (\w+): (\w+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def options(group: str) -> list[str]:
    """The options of ``group``: its YAML files."""
    return sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))


def header(path: Path) -> str:
    """The comment lines that open a YAML file, as one paragraph, up to its first indented
    line (a command line example)."""
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith("#") or line.startswith("#  "):
            break
        if not line.startswith("# @package"):
            lines.append(line[1:].strip())
    return " ".join(lines)


def schema_name(group: str, option: str) -> str | None:
    """The ``<name>_schema`` an option's defaults list names, if any."""
    match = re.search(r"^\s+- (\w+)_schema\s*$", (CONFIGS / group / f"{option}.yaml").read_text(),
                      re.M)  # fmt: skip
    return match.group(1) if match else None


def source_class(group: str, name: str) -> type | None:
    """The dataclass behind a group's schema ``name`` (the plugin's own ``Params``)."""
    from gigbench.harness.compose import RunConfig
    from gigbench.kinds import kind_of_group
    from gigbench.market.places import MARKETS, MarketConfig
    from gigbench.schemas import StaticConfig, plugin_params
    from gigbench.sim.config import SimulateConfig

    kind = kind_of_group(group)
    if kind is not None:
        return plugin_params(kind, kind.registry().load(name))
    markets = {"market": MarketConfig} | dict.fromkeys(MARKETS, MarketConfig)
    own = {"mode": {"simulate": SimulateConfig, "static": StaticConfig},
           "market": markets, "run": {"run": RunConfig}}  # fmt: skip
    return own[group].get(name)


def type_name(hint: Any) -> str:
    """A type hint as a reader writes it: ``float``, ``list[int]``, ``str | None``."""
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__name__
    return str(hint).replace("typing.", "").replace("NoneType", "None")


def meanings(cls: type) -> dict[str, str]:
    """Field -> meaning: the field's inline comment, else its ``key: meaning`` in a docstring
    of the class or of a base class."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        doc = " ".join((klass.__doc__ or "").split())
        names = [f.name for f in dataclasses.fields(klass)]
        for name in names:
            text = _from_docstring(doc, name)
            if text:
                found[name] = text
        try:
            source = inspect.getsource(klass)
        except (OSError, TypeError):
            continue
        for match in re.finditer(r"^\s+(\w+)\s*:[^#\n]*#\s*(.+)$", source, re.M):
            if match.group(1) in names:
                found[match.group(1)] = match.group(2).strip()
    return found


def _from_docstring(doc: str, name: str) -> str:
    """The text after ``name:`` (or ``name, other:``) in ``doc``, up to the next such label."""
    label = rf"(?<![\w.`]){name}(?:, \w+)*: "
    match = re.search(label + r"(.+?)(?=(?:[;.] |\. )\w+(?:, \w+)*: |$)", doc)
    return match.group(1).strip().rstrip(".") if match else ""


def flatten(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """``(dotted key, value)`` of every leaf of a composed node."""
    if isinstance(node, dict) and node:
        out = []
        for key, value in node.items():
            out += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, node)]


def value_text(value: Any) -> str:
    """A default as it is written on the command line."""
    if value == "???":
        return "(required)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"' if value == "" else value
    if isinstance(value, list) and len(value) > 6:  # hourly profiles: the shape, not 24 numbers
        head = ", ".join(value_text(v) for v in value[:4])
        return f"[{head}, ...] ({len(value)} values)"
    return str(value).replace("'", "")


def rst(text: str) -> str:
    """Docstring markup as Markdown: ````x```` and ``:func:`x``` become ```x```."""
    return re.sub(r"(?::\w+:)?``?([^`]+)``?", r"`\1`", text)


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def composed(overrides: list[str]) -> dict:
    """The config a run composes with ``overrides``, placeholders left as written (inside
    :func:`page`'s Hydra context)."""
    from hydra import compose
    from omegaconf import OmegaConf

    return OmegaConf.to_container(compose(config_name="config", overrides=overrides), resolve=False)


def option_section(group: str, option: str, default: str) -> list[str]:
    """The ``### group=option`` section: its header comment and its keys."""
    node = composed([f"{group}={option}"])[group]
    schema = schema_name(group, option)
    cls = source_class(group, schema) if schema else None
    hints = typing.get_type_hints(cls) if cls else {}
    meaning = meanings(cls) if cls else {}
    if group == "instance":  # the seed is the schema's own key, beside the generator's params
        hints["seed"] = int
        meaning["seed"] = "the generator's seed: the same seed and keys give the same scenario"
    title = f"### `{group}={option}`" + (" (default)" if option == default else "")
    lines = [title, ""]
    text = header(CONFIGS / group / f"{option}.yaml")
    if text:
        lines += [text, ""]
    rows = [(k, v) for k, v in flatten(node) if k != "name"]
    described = sum(k.split(".")[0] in meaning for k, _ in rows)
    doc = cls.__doc__ if cls is not None else None
    if doc and not doc.startswith(cls.__name__ + "(") and 2 * described < len(rows):
        lines += [rst(" ".join(doc.split())), ""]  # its keys are described here, not per key
    if not rows:
        return [*lines, "No keys.", ""]
    lines += ["| key | default | type | meaning |", "|---|---|---|---|"]
    for key, value in rows:
        top = key.split(".")[0]
        kind = type_name(hints[top]) if top in hints else ""
        lines.append(
            f"| `{group}.{key}` | {cell(value_text(value))} | {cell(kind)} "
            f"| {cell(rst(meaning.get(top, '')))} |"
        )
    return [*lines, ""]


def experiments() -> list[str]:
    """The ``experiment`` group: each file's header and what it sets and sweeps."""
    from omegaconf import OmegaConf

    lines = [
        "## `experiment`",
        "",
        "Ready-made sweeps: `gigbench -m +experiment=<name>`",
        "([Experiments](../running.md#experiments)). An experiment sets groups and keys (keys",
        "given on the command line replace them) and sweeps `hydra.sweeper.params` with `-m`.",
        "",
        "| experiment | what | sets | sweeps |",
        "|---|---|---|---|",
    ]  # fmt: skip
    for option in options("experiment"):
        path = CONFIGS / "experiment" / f"{option}.yaml"
        node = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
        sets = [f"{key.removeprefix('override /')}={value}"
                for d in node.pop("defaults", []) if isinstance(d, dict)
                for key, value in d.items()]  # fmt: skip
        sweep = node.get("hydra", {}).get("sweeper", {}).get("params", {})
        node.pop("hydra", None)
        sets += [f"{k}={value_text(v)}" for k, v in flatten(node)]
        sweeps = [f"{k}={v}" for k, v in sweep.items()]
        lines.append(
            f"| `{option}` | {cell(header(path))} | {cell(', '.join(f'`{s}`' for s in sets))} "
            f"| {cell(', '.join(f'`{s}`' for s in sweeps))} |"
        )
    return [*lines, ""]


def yaml_keys(path: Path, nested: bool = False) -> list[tuple[str, str, str]]:
    """``(key, value, comment)`` of each top-level key (every key with ``nested``) of a plain
    YAML file, its inline comment as the meaning."""
    rows = []
    indent = r"\s*" if nested else ""
    for line in path.read_text().splitlines():
        match = re.match(rf"^{indent}(\w+):\s*([^#]*?)\s*(?:#\s*(.*))?$", line)
        if match and match.group(1) != "hydra":
            rows.append((match.group(1), match.group(2) or "", match.group(3) or ""))
    return rows


def launchers() -> list[str]:
    """Hydra launchers the project configures (``hydra/launcher=<name>``)."""
    from omegaconf import OmegaConf

    lines = [
        "## `hydra/launcher`",
        "",
        "Hydra's launchers run a sweep's jobs elsewhere ([Launchers](../running.md#launchers)):",
        "`joblib` and `submitit_local` use Hydra's own defaults, `ray` starts a Ray of its own;",
        "the options below are the project's, and any of their keys is overridable as",
        "`hydra.launcher.<key>`.",
        "",
    ]
    for option in options("hydra/launcher"):
        path = CONFIGS / "hydra" / "launcher" / f"{option}.yaml"
        lines += [f"### `hydra/launcher={option}`", "", header(path), ""]
        lines += ["| key | default | meaning |", "|---|---|---|"]
        comments = {key: comment for key, _, comment in yaml_keys(path, nested=True)}
        node = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
        node.pop("defaults", None)
        for key, value in flatten(node):
            meaning = comments.get(key.rsplit(".", 1)[-1], "")
            default = cell(value_text(value))
            lines.append(f"| `hydra.launcher.{key}` | {default} | {cell(meaning)} |")
        lines.append("")
    return lines


def prepare_job() -> list[str]:
    """The config of ``gigbench-tlc-prepare-job`` (``configs/tlc/prepare.yaml``)."""
    path = CONFIGS / "tlc" / "prepare.yaml"
    lines = [
        "## `gigbench-tlc-prepare-job`",
        "",
        "Not a group of `gigbench`: the config of `gigbench-tlc-prepare`'s cluster form, one",
        "Hydra job per month ([Preparing the whole history]"
        "(../replay.md#preparing-the-whole-history-gigbench-tlc-prepare)).",
        "",
        "| key | default | meaning |",
        "|---|---|---|",
    ]  # fmt: skip
    for key, value, comment in yaml_keys(path):
        lines.append(f"| `{key}` | {cell(value_text(value))} | {cell(comment)} |")
    return [*lines, ""]


def page() -> str:
    """The whole reference page."""
    from gigbench.harness.compose import register
    from gigbench.resources import hydra_compose

    register()
    with hydra_compose():
        return _page()


def _page() -> str:
    chosen = defaults()
    groups = [g for g in chosen if g in WHAT]
    lines = [
        "# Configuration reference",
        "",
        "<!-- Generated by docs/reference/generate_config.py from configs/ and the schemas; do",
        "not edit by hand: run the script. -->",
        "",
        "`gigbench` composes one config from a group option each and any `key=value` given on the",
        "command line ([Running](../running.md)). Every group, option and key below is what a run",
        "composes, with its default; `gigbench --cfg job` prints the composed config of a",
        "command line. A misspelt group, option or key fails when the config is composed, before",
        "any run starts.",
        "",
        "| group | default | options | what it chooses |",
        "|---|---|---|---|",
    ]
    for group in groups:
        text, link = WHAT[group]
        listed = ", ".join(f"`{o}`" for o in options(group))
        lines.append(f"| [`{group}`](#{group}) | `{chosen[group]}` | {listed} | [{text}]({link}) |")
    lines += [
        "| [`experiment`](#experiment) | none | "
        + ", ".join(f"`{o}`" for o in options("experiment"))
        + " | ready-made sweeps, `+experiment=<name>` |",
        "",
        "Top-level keys: `results_dir` (default `results`): where rows and run tables are written",
        "([Results files](../results.md)). Hydra writes its own logs under `outputs/` (single",
        "runs) and `multirun/` (sweeps).",
        "",
    ]
    for group in groups:
        text, link = WHAT[group]
        lines += [f"## `{group}`", "", f"{text[0].upper()}{text[1:]} ([more]({link})).", ""]
        for option in options(group):
            lines += option_section(group, option, chosen[group])
    lines += experiments() + launchers() + prepare_job()
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args()
    text = page()
    if args.check:
        if PAGE.read_text() != text:
            print(f"{PAGE} is stale: run python docs/reference/generate_config.py", file=sys.stderr)
            sys.exit(1)
        return
    PAGE.write_text(text)
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
