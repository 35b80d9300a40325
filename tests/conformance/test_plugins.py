"""Plugins from other distributions, by entry points: found without importing them, refused on
a name clash, one line naming the plugin and its entry point when broken, a config option
generated from their Params, and their version and source in the run's identity and row.

Each test installs distributions by putting a folder with a ``.dist-info`` on ``sys.path``
(:mod:`plugin_dist`): the discovery is importlib.metadata's own, as for pip-installed ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata

import pytest
from hydra import compose
from hydra.core.config_store import ConfigStore
from plugin_dist import EXAMPLE, example_as_distribution, write_distribution

from gigbench.errors import ConfigError
from gigbench.harness.compose import plan_sweep, register
from gigbench.harness.rows import make_row
from gigbench.io import run_id
from gigbench.kinds import KINDS, plugin_provenance
from gigbench.resources import hydra_compose
from gigbench.solvers.registry import SOLVERS, PluginError, source_hash

BROKEN_PRICING = '''
from dataclasses import dataclass
from gigbench.market.pricing import PricingPolicy

class BadDefaults(PricingPolicy):
    """Its default rate fails its own check."""
    name = "bad_defaults"

    @dataclass(frozen=True)
    class Params(PricingPolicy.Params):
        """rate: > 0."""
        rate: float = -1.0

        def check(self):
            super().check()
            if self.rate <= 0:
                raise ValueError(f"pricing.rate: expected > 0, got {self.rate}")

class NoDataclass(PricingPolicy):
    """Its Params are a plain class."""
    name = "no_dataclass"

    class Params:
        """Not a dataclass."""

class Aliased(PricingPolicy):
    """Renames a config key, which only a YAML file in gigbench's configs can do."""
    name = "aliased"
    config_aliases = {"lambda": "lam"}

    @dataclass(frozen=True)
    class Params(PricingPolicy.Params):
        """lam: a weight."""
        lam: float = 0.5

def helper():
    """Not a pricing policy."""
'''


@pytest.fixture
def install(tmp_path, monkeypatch):
    """``install(name, entry_points, modules)``: a distribution on ``sys.path`` for this test;
    the config options its plugins got are forgotten afterwards."""
    names: list[tuple[str, str]] = []

    def installer(name, entry_points, modules=None, version="0.1"):
        folder = write_distribution(tmp_path / name, name, entry_points, version, modules)
        monkeypatch.syspath_prepend(str(folder))
        for group, entries in entry_points.items():
            kind = next(k for k in KINDS.values() if k.entry_group == group)
            names.extend((kind.config_group, entry) for entry in entries)
        return folder

    yield installer
    repo = ConfigStore.instance().repo
    for group, name in names:
        for option in (f"{name}.yaml", f"{name}_schema.yaml"):
            repo.get(group, {}).pop(option, None)


@pytest.fixture
def example(tmp_path, monkeypatch):
    """The example package (docs/examples/gigbench-example), installed for this test."""
    for folder in example_as_distribution(tmp_path / "example"):
        monkeypatch.syspath_prepend(str(folder))
    yield
    repo = ConfigStore.instance().repo
    for group, name in [("solver", "first_fit"), ("pricing", "per_km"),
                        ("objective", "driver_surplus"), ("instance", "uniform")]:  # fmt: skip
        for option in (f"{name}.yaml", f"{name}_schema.yaml"):
            repo.get(group, {}).pop(option, None)
    sys.modules.pop("gigbench_example", None)


def _compose(overrides):
    register()
    with hydra_compose():
        return compose(config_name="config", overrides=overrides)


def test_listing_plugins_imports_none_of_them(install) -> None:
    install("lazy-dist", {"gigbench.solvers": {"lazy": "lazy_solver:Lazy"}},
            {"lazy_solver": "raise RuntimeError('imported while listing')\n"})  # fmt: skip
    assert "lazy" in SOLVERS.names() and "lazy_solver" not in sys.modules
    assert {"greedy", "hungarian"} <= set(SOLVERS.names())


def test_a_builtin_name_is_refused_naming_the_distribution(install) -> None:
    install("clash-dist", {"gigbench.solvers": {"greedy": "gigbench.solvers.greedy:Greedy"}})
    with pytest.raises(PluginError, match=r"solver 'greedy' of entry point 'greedy = gigbench\."
                       r"solvers\.greedy:Greedy' of distribution clash-dist 0\.1 has the name of "
                       r"gigbench's own solver 'greedy'"):  # fmt: skip
        SOLVERS.names()


def test_a_name_two_distributions_claim_is_refused_naming_both(install) -> None:
    for dist in ("dist-a", "dist-b"):
        install(dist, {"gigbench.supply": {"twice": "gigbench.market.supply.base:FixedSupply"}})
    with pytest.raises(PluginError, match="supply 'twice' is installed twice") as caught:
        KINDS["supply"].registry().names()
    assert "distribution dist-a 0.1" in str(caught.value)
    assert "distribution dist-b 0.1" in str(caught.value)


BROKEN = [
    ("solver", "no_such_module:Solver",
     "cannot import module 'no_such_module': ModuleNotFoundError: No module named"),
    ("solver", "gigbench.solvers.greedy:Greedyy",
     "module 'gigbench.solvers.greedy' has no attribute 'Greedyy'; fix the entry point"),
    ("solver", "gigbench.solvers.greedy", "expected the entry point's value 'module:attribute'"),
    ("solver", "gigbench.solvers.problem:Problem",
     "expected a gigbench.solvers.Solver subclass, got class gigbench.solvers.problem.Problem"),
    ("pricing", "broken_pricing:helper",
     "expected a gigbench.market.pricing.base.PricingPolicy subclass, got function "
     "broken_pricing.helper"),
    ("pricing", "broken_pricing:BadDefaults",
     "its default Params fail their check: pricing.rate: expected > 0, got -1.0"),
    ("pricing", "broken_pricing:NoDataclass", "expected its Params to be a @dataclass"),
    ("pricing", "broken_pricing:Aliased",
     "config_aliases {'lambda': 'lam'} need a YAML file in gigbench's configs"),
    ("generator", "gigbench.instances.city:CityParams",
     "expected a function generate(params: <Params>, seed) -> Scenario"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "target", "message"), BROKEN)
def test_a_broken_plugin_names_itself_and_its_entry_point(install, kind, target, message) -> None:
    group = KINDS[kind].entry_group
    install("broken-dist", {group: {"broken": target}}, {"broken_pricing": BROKEN_PRICING})
    with pytest.raises(PluginError) as caught:
        KINDS[kind].registry().load("broken")
    text = str(caught.value)
    assert text.startswith(f"{kind} 'broken' (entry point 'broken = {target}' of distribution "
                           "broken-dist 0.1): "), text  # fmt: skip
    assert message in text and "\n" not in text


def test_a_plugin_needs_no_yaml_and_its_params_are_its_schema(example) -> None:
    chosen = ["solver=first_fit", "pricing=per_km", "objective=driver_surplus", "instance=uniform"]
    cfg = _compose([*chosen, "solver.min_gain=3", "pricing.per_km=2"])
    assert cfg.solver.name == "first_fit" and cfg.solver.min_gain == 3.0
    assert cfg.pricing.per_km == 2.0 and cfg.pricing.commission == "auto"  # inherited field
    assert cfg.instance.n_tasks == 600 and cfg.instance.seed == 0
    with pytest.raises(ConfigError, match="no key 'min_gian' in solver=first_fit; valid keys: "
                                          "min_gain, name"):  # fmt: skip
        plan_sweep(["solver=first_fit", "solver.min_gian=3"], check=False)


def test_choosing_a_broken_plugin_fails_before_any_run_and_others_still_run(install) -> None:
    install("broken-dist", {"gigbench.pricing": {"bad_defaults": "broken_pricing:BadDefaults"}},
            {"broken_pricing": BROKEN_PRICING})  # fmt: skip
    small = ["instance.n_tasks=100", "instance.n_workers=10", "instance.horizon_h=1"]
    assert plan_sweep(small).size == 1  # installed but not chosen: no harm
    for chosen in (["pricing=bad_defaults"], ["pricing=bad_defaults", "pricing.rate=2"]):
        with pytest.raises(PluginError, match=r"pricing 'bad_defaults' .* its default Params"):
            plan_sweep([*small, *chosen])


def test_a_plugin_named_like_a_config_option_is_refused(install) -> None:
    install(
        "auto-dist", {"gigbench.pricing": {"auto": "gigbench.market.pricing.tariff:TariffPricing"}}
    )
    with pytest.raises(ConfigError, match=r"pricing 'auto' of entry point .* distribution "
                                          "auto-dist 0.1 has the name of gigbench's config "
                                          "option pricing=auto"):  # fmt: skip
        register()


def test_identity_holds_the_plugins_version_and_source(example, tmp_path) -> None:
    config = {"solver": {"name": "first_fit", "min_gain": 0.0},
              "pricing": {"name": "tariff"}, "results_dir": "x"}  # fmt: skip
    plugins = plugin_provenance(config)
    assert set(plugins) == {"solver"}  # tariff is built in
    solver = plugins["solver"]
    assert solver["distribution"] == "gigbench-example" and solver["version"] == "0.1.0"
    assert solver["entry_point"] == "first_fit = gigbench_example.first_fit:FirstFit"
    assert solver["source_sha256"] == source_hash("gigbench_example")
    assert run_id(config, plugins) != run_id(config) == run_id(config, {})
    edited = {"solver": {**solver, "source_sha256": "0" * 64}}
    assert run_id(config, edited) != run_id(config, plugins)
    now = datetime.now(UTC)
    row = make_row(config, "r", "ok", started_at=now, finished_at=now, plugins=plugins)
    assert json.loads(row.column("plugins_json")[0].as_py()) == plugins
    bare = make_row(config, "r", "ok", started_at=now, finished_at=now)
    assert bare.column("plugins_json")[0].as_py() is None
    assert bare.column("env_version_gigbench")[0].as_py() == metadata.version("gigbench")


def _hash_in(folder) -> str:
    """The source hash of the example package as found in ``folder``."""
    sys.modules.pop("gigbench_example", None)  # find_spec would return the imported one
    source_hash.cache_clear()
    sys.path.insert(0, str(folder))
    try:
        return source_hash("gigbench_example.first_fit")
    finally:
        sys.path.remove(str(folder))
        source_hash.cache_clear()


def test_the_source_hash_follows_the_code_not_its_place(tmp_path) -> None:
    """Every .py file of the top-level package counts (a helper beside the plugin too); the
    folder the package is installed in does not."""
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(EXAMPLE / "src", first)
    shutil.copytree(EXAMPLE / "src", second)
    before = _hash_in(first)
    assert _hash_in(second) == before
    helper = first / "gigbench_example" / "uniform.py"
    helper.write_text(helper.read_text() + "\n# edited\n")
    assert _hash_in(first) != before


def test_help_lists_installed_plugins_in_their_groups_without_importing_them(tmp_path) -> None:
    folders = example_as_distribution(tmp_path)
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gigbench.harness", "--help"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(map(str, folders))),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "installed: first_fit (gigbench-example)" in out.stdout
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.startswith("  ")}
    assert "per_km (gigbench-example)" in lines["pricing"]
    assert "uniform (gigbench-example)" in lines["instance"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines()}
    assert not imported & {"numpy", "hydra", "gigbench_example"}


def test_each_kind_is_one_registry_keyed_by_its_entry_point_group() -> None:
    for kind in KINDS.values():
        registry = kind.registry()
        assert (registry.kind, registry.group) == (kind.name, kind.entry_group)
        assert registry.names()


def test_the_testing_package_example_runs() -> None:
    import doctest

    import gigbench.testing

    result = doctest.testmod(gigbench.testing)
    assert result.attempted == 3 and result.failed == 0


def test_the_command_names_a_broken_plugin_in_one_line_and_exits_2(tmp_path) -> None:
    target = "gigbench.solvers.greedy:Greedyy"
    folder = write_distribution(tmp_path / "d", "broken-dist", {"gigbench.solvers": {"gr": target}})
    env = {k: v for k, v in os.environ.items() if k != "GIGBENCH_DEBUG"}
    out = subprocess.run(
        [sys.executable, "-m", "gigbench.harness", "solver=gr", f"results_dir={tmp_path / 'r'}"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env=env | {"PYTHONPATH": str(folder)},
    )  # fmt: skip
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith(
        f"gigbench: error: solver 'gr' (entry point 'gr = {target}' of distribution broken-dist "
        "0.1): module 'gigbench.solvers.greedy' has no attribute 'Greedyy'"
    )
    assert not (tmp_path / "r").exists()  # before any run
