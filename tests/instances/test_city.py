"""The synthetic city generator: determinism, the model's statistics, params, the registry."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import kstest, norm

from gigbench.instances import (
    CityParams,
    ScenarioError,
    UnknownNameError,
    available_generators,
    generate,
    generate_city,
    load_scenario,
    save_scenario,
)
from gigbench.instances.city import DEFAULT_HOURLY_PROFILE, hotspot_centres
from gigbench.instances.scenario import OPTIONAL_TASK_COLUMNS
from gigbench.solvers.registry import ParamsError, checked

ROOT = Path(__file__).resolve().parents[2]
SMALL = CityParams(n_tasks=2000, n_workers=60, horizon_h=24.0)


def col(table, name: str) -> np.ndarray:
    return table.column(name).to_numpy()


@pytest.fixture(scope="module")
def day():
    """The default city: 20000 expected requests over 24 h."""
    return generate_city(CityParams(), seed=7)


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_bytes(tmp_path):
    first, second = generate_city(SMALL, 3), generate_city(SMALL, 3)
    assert first == second
    assert first.meta["content_hash"] == second.meta["content_hash"]
    save_scenario(first, tmp_path / "a")
    save_scenario(second, tmp_path / "b")
    for name in ("tasks.parquet", "workers.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert load_scenario(tmp_path / "a") == first


def test_different_seed_gives_different_scenario():
    first, second = generate_city(SMALL, 3), generate_city(SMALL, 4)
    assert first.meta["content_hash"] != second.meta["content_hash"]
    assert not np.array_equal(col(first.tasks, "origin_x")[:10], col(second.tasks, "origin_x")[:10])


def test_generator_leaves_global_random_state_alone():
    state = np.random.get_state(legacy=False)  # noqa: NPY002 - the legacy state is the point
    generate_city(SMALL, 0)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert np.array_equal(after["state"]["key"], state["state"]["key"])
    assert after["state"]["pos"] == state["state"]["pos"]


def test_supply_changes_keep_the_same_demand():
    base = generate_city(SMALL, 5)
    more = generate_city(dataclasses.replace(SMALL, n_workers=200, shift_hours=(2.0, 3.0)), 5)
    nan_columns = ["origin_lon", "origin_lat", "dest_lon", "dest_lat", "observed_fare",
                   *OPTIONAL_TASK_COLUMNS]  # fmt: skip
    assert base.tasks.drop_columns(nan_columns).equals(more.tasks.drop_columns(nan_columns))
    assert more.n_workers == 200


def test_meta(day):
    meta = day.meta
    assert meta["generator"] == "city"
    assert meta["seed"] == 7
    assert meta["horizon_s"] == 86400.0
    assert meta["geography"] == {"width_km": 10.0, "height_km": 10.0, "zone_km": 1.0}
    assert (meta["market"], meta["tariff"]["name"], meta["idle_drivers"]) == (
        "ride_hailing",
        "nyc_meter",
        "wait",
    )
    assert meta["params"] == CityParams().__dict__ | {
        k: list(v) for k, v in CityParams().__dict__.items() if isinstance(v, tuple)
    }
    assert len(meta["speed_kmh_by_hour"]) == 24
    assert meta["currency"] == "USD"
    assert meta["content_hash"] == day.compute_hash()


# --------------------------------------------------------------------------- the model


def test_task_columns_follow_the_model(day):
    p = CityParams()
    tasks = day.tasks
    times = col(tasks, "request_time")
    assert np.all(np.diff(times) >= 0)
    assert np.array_equal(col(tasks, "task_id"), np.arange(day.n_tasks))
    # A hotspot point beyond the square is clipped onto its edge (not redrawn, not reflected):
    # as many coordinates sit exactly on an edge as the hotspots' Gaussians put beyond it.
    centres, sd = hotspot_centres(p, day.meta["seed"]), p.hotspot_sigma_km
    beyond = (norm.cdf(-centres / sd) + norm.sf((p.size_km - centres) / sd)).mean()
    expected = 4 * day.n_tasks * p.hotspot_share * beyond  # origins and destinations, x and y
    on_edge = sum(
        np.isin(col(tasks, name), [0.0, p.size_km]).sum()
        for name in ("origin_x", "origin_y", "dest_x", "dest_y")
    )
    assert abs(on_edge - expected) < 5 * np.sqrt(expected)
    dx = col(tasks, "dest_x") - col(tasks, "origin_x")
    dy = col(tasks, "dest_y") - col(tasks, "origin_y")
    distance = col(tasks, "distance_km")
    np.testing.assert_allclose(distance, p.detour_factor * np.hypot(dx, dy))
    assert distance.min() >= p.min_trip_km
    speed = np.asarray(day.meta["speed_kmh_by_hour"])[(times // 3600).astype(int) % 24]
    np.testing.assert_allclose(col(tasks, "duration_min"), 60 * distance / speed)
    for end in ("origin", "dest"):  # zone = floor(y) * 10 + floor(x), the far edge in the last
        x, y = col(tasks, f"{end}_x"), col(tasks, f"{end}_y")
        expected_zone = np.floor(y).clip(max=9) * 10 + np.floor(x).clip(max=9)
        assert np.array_equal(col(tasks, f"{end}_zone"), expected_zone)
    ratio = col(tasks, "value") / (p.value_base + p.value_per_km * distance)
    assert abs(ratio.mean() - 1.0) < 0.02  # the lognormal multiplier has mean one
    assert abs(np.log(ratio).std() - p.value_sigma) < 0.01
    assert abs(col(tasks, "patience_s").mean() - p.patience_mean_s) < 10
    assert np.isnan(col(tasks, "origin_lon")).all() and np.isnan(col(tasks, "observed_fare")).all()
    assert (col(tasks, "skill") == -1).all()


def test_request_count_and_hourly_profile(day):
    n = day.n_tasks
    assert abs(n - 20000) < 5 * np.sqrt(20000)
    counts = np.bincount((col(day.tasks, "request_time") // 3600).astype(int), minlength=24)
    weights = np.asarray(DEFAULT_HOURLY_PROFILE)
    expected = n * weights / weights.sum()
    assert np.all(np.abs(counts[:24] - expected) < 5 * np.sqrt(expected))
    assert counts.argmin() == 4 and counts[8] > counts[12] and counts[18] > counts[13]


def test_short_horizon_keeps_the_expected_count():
    scenario = generate_city(CityParams(horizon_h=2.5, n_tasks=3000, n_workers=30), 1)
    times = col(scenario.tasks, "request_time")
    assert abs(scenario.n_tasks - 3000) < 5 * np.sqrt(3000)
    hours = np.bincount((times // 1800).astype(int))  # half hours: five, none past the horizon
    w = DEFAULT_HOURLY_PROFILE
    expected = np.array([w[0], w[0], w[1], w[1], w[2]])
    expected = scenario.n_tasks * expected / expected.sum()
    assert len(hours) == 5 and np.all(np.abs(hours - expected) < 5 * np.sqrt(expected))


def _near_hotspot_share(share: float) -> float:
    params = CityParams(n_tasks=20000, n_workers=1, hotspot_share=share, hotspot_sigma_km=0.5)
    tasks = generate_city(params, 11).tasks
    xy = np.column_stack([col(tasks, "origin_x"), col(tasks, "origin_y")])
    centres = hotspot_centres(params, 11)
    nearest = np.min(np.linalg.norm(xy[:, None, :] - centres[None], axis=2), axis=1)
    return float(np.mean(nearest < 1.0))


def test_hotspot_share_mixes_hotspots_and_background():
    none, half, full = (_near_hotspot_share(s) for s in (0.0, 0.4, 1.0))
    assert none < 0.15  # three discs of radius 1 km cover < 10% of 100 km^2
    assert full > 0.85  # P(|N(0, 0.5^2 I)| < 1) = 1 - exp(-2) = 0.865, plus overlaps
    assert abs(half - (0.4 * full + 0.6 * none)) < 0.02


def test_hotspot_centres_are_inside_the_city():
    """Uniform in the inner 70% of the square: [1.5, 8.5] km on both axes of the 10 km city."""
    centres = hotspot_centres(CityParams(n_hotspots=2000), 0)
    assert centres.shape == (2000, 2)
    for axis in centres.T:
        assert kstest(axis, "uniform", args=(1.5, 7.0)).pvalue > 1e-3


def test_uniform_city_without_hotspots():
    scenario = generate_city(dataclasses.replace(SMALL, n_hotspots=0), 2)
    counts = np.bincount(col(scenario.tasks, "origin_zone"), minlength=100)
    assert counts.min() > 0 and counts.max() < 3 * counts.mean()


def test_workers_follow_the_model(day):
    p = CityParams()
    workers = day.workers
    online, offline = col(workers, "online_time"), col(workers, "offline_time")
    assert day.n_workers == p.n_workers
    assert np.all(np.diff(online) >= 0) and np.all(offline > online)
    length = (offline - online) / 3600
    assert length.max() <= p.shift_hours[1] + 1e-9
    unclipped = (online > 0) & (offline < 86400)
    assert length[unclipped].min() >= p.shift_hours[0] - 1e-9
    wage = col(workers, "reservation_wage")  # U(reservation_wage_per_h) = U(8, 16)
    assert kstest(wage, "uniform", args=(8.0, 8.0)).pvalue > 1e-3
    groups = workers.column("group").to_pylist()
    assert set(groups) == {"A", "B"} and abs(groups.count("A") / len(groups) - 0.5) < 0.1
    assert set(workers.column("vehicle").to_pylist()) == {"car"}
    assert (col(workers, "capacity") == 1).all() and (col(workers, "skills") == -1).all()
    # supply follows demand: more workers online at 18:00 than at 04:00
    at = lambda hour: int(np.sum((online <= hour * 3600) & (offline > hour * 3600)))  # noqa: E731
    assert at(18) > 2 * at(4)


def test_group_shares_are_respected():
    params = dataclasses.replace(
        SMALL, n_workers=2000, group_labels=("x", "y", "z"), group_shares=(0.7, 0.2, 0.1)
    )
    groups = generate_city(params, 0).workers.column("group").to_pylist()
    assert abs(groups.count("x") / 2000 - 0.7) < 0.04 and groups.count("z") > 100


def test_empty_city():
    scenario = generate_city(CityParams(n_tasks=0, n_workers=0), 0)
    assert (scenario.n_tasks, scenario.n_workers) == (0, 0)


# --------------------------------------------------------------------------- params


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"size_km": -1.0}, r"size_km: expected > 0, got -1.0"),
        ({"zone_km": 0.0}, r"zone_km: expected in \(0, size_km\]"),
        ({"horizon_h": 0.0}, r"horizon_h: expected > 0 hours, got 0.0"),
        ({"n_tasks": -5}, r"n_tasks: expected >= 0"),
        ({"n_workers": -1}, r"n_workers: expected >= 0"),
        ({"hotspot_share": 1.5}, r"hotspot_share: expected a share in \[0, 1\]"),
        ({"hotspot_sigma_km": 0.0}, r"hotspot_sigma_km: expected > 0"),
        ({"hourly_profile": (1.0,) * 23}, r"hourly_profile: expected 24 values"),
        ({"hourly_profile": (0.0,) * 24}, r"hourly_profile: expected weights >= 0 with a pos"),
        ({"speed_kmh": 0.0}, r"speed_kmh: expected > 0"),
        ({"speed_factor_by_hour": (1.0,) * 23 + (0.0,)}, r"speed_factor_by_hour: expected mul"),
        ({"detour_factor": 0.9}, r"detour_factor: expected >= 1"),
        ({"min_trip_km": 20.0}, r"min_trip_km: expected in \[0, size_km"),
        ({"value_sigma": -0.1}, r"value_sigma: expected >= 0"),
        ({"patience_mean_s": 0.0}, r"patience_mean_s: expected > 0 seconds"),
        ({"shift_hours": (10.0, 4.0)}, r"shift_hours: expected \(min, max\)"),
        ({"reservation_wage_per_h": (8.0,)}, r"reservation_wage_per_h: expected \(min, max\)"),
        ({"group_shares": (1.0,)}, r"group_shares: expected 2 shares"),
        ({"group_labels": ("A", "A")}, r"group_labels: expected at least one distinct"),
        ({"currency": ""}, r"currency: expected a currency code"),
    ],
)
def test_bad_params_raise_value_errors(changes, match):
    with pytest.raises(ParamsError, match=match):
        checked(CityParams(**changes))
    with pytest.raises(ParamsError, match=match):
        generate("city", changes, 0)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"n_tasks": 1.5}, r"n_tasks: expected an int, got float 1.5"),
        ({"n_workers": True}, r"n_workers: expected an int, got bool"),
        ({"size_km": "10"}, r"size_km: expected a number, got str '10'"),
        ({"hourly_profile": "flat"}, r"hourly_profile: expected a list, got str"),
        ({"shift_hours": (4, "x")}, r"shift_hours\[1\]: expected a number, got str"),
        ({"group_labels": (1, 2)}, r"group_labels\[0\]: expected a str, got int"),
    ],
)
def test_wrong_param_types_raise_type_errors(changes, match):
    with pytest.raises(TypeError, match=match):
        CityParams(**changes)


def test_a_number_that_is_not_finite_is_refused_when_built():
    with pytest.raises(ValueError, match="size_km: expected a finite number"):
        CityParams(size_km=float("inf"))


def test_params_are_normalised_and_hashable():
    as_lists = CityParams(size_km=10, hourly_profile=list(DEFAULT_HOURLY_PROFILE), n_tasks=20000)
    assert as_lists == CityParams()
    assert hash(as_lists) == hash(CityParams())
    assert isinstance(as_lists.size_km, float) and isinstance(as_lists.hourly_profile, tuple)
    small = dataclasses.replace(SMALL, size_km=10)
    assert (
        generate_city(small, 1).meta["content_hash"] == generate_city(SMALL, 1).meta["content_hash"]
    )


def test_bad_seed_and_params_type():
    with pytest.raises(TypeError, match="seed: expected an int >= 0, got int -1"):
        generate_city(SMALL, -1)
    with pytest.raises(TypeError, match="seed: expected an int >= 0, got float"):
        generate_city(SMALL, 1.0)
    with pytest.raises(TypeError, match=r"params: expected a CityParams, got dict; .*generate"):
        generate_city({"n_tasks": 10}, 0)


def test_profile_without_demand_in_the_horizon():
    profile = (0.0, 0.0) + (1.0,) * 22
    with pytest.raises(ValueError, match="hourly_profile: expected a positive weight within"):
        generate_city(CityParams(horizon_h=2.0, hourly_profile=profile), 0)


# --------------------------------------------------------------------------- registry


def test_registry_lists_and_runs_city():
    assert "city" in available_generators()
    via_registry = generate("city", {"n_tasks": 300, "n_workers": 10, "shift_hours": [2, 3]}, 4)
    direct = generate_city(CityParams(n_tasks=300, n_workers=10, shift_hours=(2.0, 3.0)), 4)
    assert via_registry == direct
    assert generate("city", None, 0).meta["params"] == generate_city(CityParams(), 0).meta["params"]


def test_registry_errors():
    with pytest.raises(UnknownNameError, match=r"unknown generator 'town'; valid .*: city"):
        generate("town", None, 0)
    with pytest.raises(KeyError):
        generate("town", None, 0)
    with pytest.raises(TypeError, match=r"unknown parameter\(s\) n_task; valid keys are: size_km"):
        generate("city", {"n_task": 5}, 0)
    with pytest.raises(TypeError, match="params: expected a mapping"):
        generate("city", [("n_tasks", 5)], 0)
    with pytest.raises(ValueError, match="size_km: expected > 0"):
        generate("city", {"size_km": -2}, 0)


def test_city_params_work_as_an_omegaconf_schema():
    omegaconf = pytest.importorskip("omegaconf")
    schema = omegaconf.OmegaConf.structured(CityParams)
    overrides = omegaconf.OmegaConf.from_dotlist(
        ["n_tasks=150", "n_workers=5", "hourly_profile=[" + ",".join(["1"] * 24) + "]"]
    )
    config = omegaconf.OmegaConf.merge(schema, overrides)
    with pytest.raises(omegaconf.errors.ConfigKeyError):
        omegaconf.OmegaConf.merge(schema, omegaconf.OmegaConf.from_dotlist(["n_task=1"]))
    values = omegaconf.OmegaConf.to_container(config)
    assert generate("city", config, 2) == generate("city", values, 2)
    assert generate("city", values, 2).meta["params"]["hourly_profile"] == [1.0] * 24


def test_hydra_config_file():
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "configs" / "instance" / "city.yaml").read_text())
    assert config == {"defaults": ["city_schema", "_self_"], "name": "city", "seed": 0}


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)
