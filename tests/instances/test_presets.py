"""The calibrated presets (nyc, jakarta_ojol, jakarta_car, freelance): determinism,
calibration against their published targets, the stress knobs, configs and parameter errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hydra import compose

from gigbench.instances import available_generators, generate, load_scenario, save_scenario
from gigbench.instances.freelance import FreelanceParams, skill_popularity
from gigbench.instances.presets import (
    JAKARTA_SPEEDS,
    NYC_HOURLY,
    JakartaCarParams,
    JakartaOjolParams,
    NycParams,
    rush_profile,
)
from gigbench.solvers.registry import ParamsError

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ("nyc", "jakarta_ojol", "jakarta_car", "freelance")
MILE_KM = 1.609344


def col(table, name: str) -> np.ndarray:
    return table.column(name).to_numpy()


def hourly(scenario) -> np.ndarray:
    times = col(scenario.tasks, "request_time")
    return np.bincount((times // 3600).astype(np.int64), minlength=24)[:24]


@pytest.fixture(scope="module")
def nyc_day():
    """The nyc preset at its default size (about 20,000 requests)."""
    return generate("nyc", {}, 0)


# --------------------------------------------------------------------------- registry, configs


@pytest.mark.parametrize("name", PRESETS)
def test_preset_is_registered_with_a_config(name):
    assert name in available_generators()
    text = (ROOT / "configs" / "instance" / f"{name}.yaml").read_text()
    assert f"{name}_schema" in text and f"name: {name}" in text and "seed: 0" in text


@pytest.mark.parametrize("name", [*PRESETS, "replay"])
def test_config_composes_and_accepts_overrides(name):
    from gigbench.harness.compose import register
    from gigbench.resources import hydra_compose

    register()

    overrides = [f"instance={name}"]
    if name == "replay":
        overrides += ["instance.path=trips.csv", "instance.zones=zones.csv"]
    else:
        overrides += ["instance.n_tasks=50", "instance.supply_ratio=0.8", "instance.rush_ramp=1"]
    with hydra_compose():
        cfg = compose(config_name="config", overrides=overrides)
        assert cfg.instance.name == name
        with pytest.raises(Exception, match="n_taskz"):
            compose(config_name="config", overrides=[f"instance={name}", "instance.n_taskz=5"])


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", PRESETS)
def test_pure_function_of_params_and_seed(name, tmp_path):
    first = generate(name, {"n_tasks": 300, "horizon_h": 6}, 4)
    second = generate(name, {"n_tasks": 300, "horizon_h": 6}, 4)
    other = generate(name, {"n_tasks": 300, "horizon_h": 6}, 5)
    assert first == second
    assert first.meta["content_hash"] == second.meta["content_hash"]
    assert first.meta["content_hash"] != other.meta["content_hash"]
    assert load_scenario(save_scenario(first, tmp_path / name)) == first
    assert first.meta["generator"] == name and first.meta["seed"] == 4


def test_global_random_state_untouched():
    state = np.random.get_state(legacy=False)  # noqa: NPY002 - the legacy state is the point
    for name in PRESETS:
        generate(name, {"n_tasks": 50}, 0)
    after = np.random.get_state(legacy=False)  # noqa: NPY002
    assert np.array_equal(after["state"]["key"], state["state"]["key"])
    assert after["state"]["pos"] == state["state"]["pos"]


def test_worker_knobs_leave_demand_unchanged():
    base = generate("nyc", {"n_tasks": 500}, 1)
    more = generate("nyc", {"n_tasks": 500, "supply_ratio": 3.0}, 1)
    assert base.tasks.to_pandas().equals(more.tasks.to_pandas())  # NaN lon/lat compare equal
    assert more.n_workers > base.n_workers


# --------------------------------------------------------------------------- nyc calibration


def test_nyc_trip_length_and_duration_match_targets(nyc_day):
    miles = col(nyc_day.tasks, "distance_km") / MILE_KM
    minutes = col(nyc_day.tasks, "duration_min")
    assert np.median(miles) == pytest.approx(1.6, rel=0.08)  # TLC: median about 1.6 miles
    assert np.median(minutes) == pytest.approx(11.0, rel=0.08)  # and about 11 minutes


def test_nyc_demand_lowest_near_5_highest_near_18(nyc_day):
    assert int(np.argmin(NYC_HOURLY)) == 5 and int(np.argmax(NYC_HOURLY)) == 18
    counts = hourly(nyc_day)
    assert int(np.argmin(counts)) in (4, 5)
    assert int(np.argmax(counts)) in (17, 18, 19)
    assert counts[18] > 5 * counts[5]


def test_nyc_manhattan_speeds_about_10_mph(nyc_day):
    speeds_mph = np.asarray(nyc_day.meta["speed_kmh_by_hour"]) / MILE_KM
    assert 8.0 <= np.median(speeds_mph[8:19]) <= 11.0  # daytime Manhattan crawl
    assert speeds_mph[5] > speeds_mph[18]  # free-flowing early morning


# --------------------------------------------------------------------------- jakarta


@pytest.mark.parametrize("name", ["jakarta_ojol", "jakarta_car"])
def test_jakarta_tariff_speeds_and_currency(name):
    scenario = generate(name, {"n_tasks": 2000}, 0)
    meta = scenario.meta
    tariff = meta["tariff"]
    assert meta["currency"] == "IDR"
    assert tariff["commission"] == 0.15 and tariff["fee"] == 0.05
    assert tariff["min_fare"] == pytest.approx(tariff["per_km"] * tariff["min_fare_km"])
    if name == "jakarta_ojol":
        assert (tariff["per_km"], tariff["per_km_max"]) == (2550.0, 2800.0)
        assert tariff["min_fare"] == 10200.0 and tariff["min_fare_km"] == 4.0
        assert set(col(scenario.workers, "vehicle").tolist()) == {"motorbike"}
    else:
        assert (tariff["per_km"], tariff["per_km_max"]) == (3500.0, 6000.0)
    speeds = np.asarray(meta["speed_kmh_by_hour"])
    assert speeds.min() >= 18.0 and speeds.max() <= 26.0
    assert speeds[16:20].min() < speeds[6:10].min()  # evening peak worse than morning
    value = col(scenario.tasks, "value")
    assert np.median(value) > tariff["min_fare"]  # willingness to pay in rupiah
    assert tuple(meta["speed_kmh_by_hour"]) == JAKARTA_SPEEDS


def test_param_classes_have_distinct_defaults():
    assert NycParams().currency == "USD" and JakartaOjolParams().vehicle == "motorbike"
    assert JakartaCarParams().trip_km_median > JakartaOjolParams().trip_km_median


# --------------------------------------------------------------------------- freelance


def test_freelance_skills_capacity_and_no_geography():
    params = {"n_tasks": 1500, "commission": 0.1}
    scenario = generate("freelance", params, 2)
    tasks, workers = scenario.tasks, scenario.workers
    info = scenario.info
    assert (info.market, info.geography, info.speed_kmh_by_hour) == ("freelance", None, None)
    assert (info.tariff.basis, info.tariff.commission, info.tariff.name) == ("budget", 0.1, "")
    assert generate("freelance", {"n_tasks": 10}, 2).info.tariff.name == "freelance_budget"
    for name in ("origin_x", "origin_y", "dest_x", "dest_y", "distance_km"):
        assert (col(tasks, name) == 0.0).all()
    assert (col(workers, "start_x") == 0.0).all()
    capacity = col(workers, "capacity")
    assert (capacity > 1).all() and capacity.max() <= 5
    skill = col(tasks, "skill")
    n_skills = FreelanceParams().n_skills
    assert skill.min() >= 0 and skill.max() < n_skills
    masks = col(workers, "skills")
    bits = np.array([bin(int(m)).count("1") for m in masks])
    assert bits.min() >= 1 and bits.max() <= 4 and (masks > 0).all()
    held = np.bitwise_or.reduce(masks)
    assert all(held >> s & 1 for s in np.unique(skill))  # every demanded skill has a worker
    assert (col(tasks, "duration_min") > 0).all() and (col(tasks, "value") > 0).all()
    assert (col(tasks, "patience_s") > 0).all()  # time to deadline


def test_freelance_hot_skills_concentrate_demand():
    cold = generate("freelance", {"n_tasks": 3000, "hotspot_share": 0.0}, 0)
    hot = generate("freelance", {"n_tasks": 3000, "hotspot_share": 0.9}, 0)
    share = [np.mean(col(s.tasks, "skill") < 2) for s in (cold, hot)]
    assert share[0] == pytest.approx(skill_popularity(FreelanceParams())[:2].sum(), abs=0.04)
    assert share[1] > 0.9


# --------------------------------------------------------------------------- stress knobs


@pytest.mark.parametrize("name", PRESETS)
def test_stress_knobs(name):
    small = {"n_tasks": 3000}
    base = generate(name, small, 0)
    ratio = base.meta["params"]["supply_ratio"]
    double = generate(name, {**small, "supply_ratio": 2 * ratio}, 0)
    assert double.n_workers == pytest.approx(2 * base.n_workers, rel=0.02)
    fixed = generate(name, {**small, "n_workers": 37}, 0)
    assert fixed.n_workers == 37
    ramp = generate(name, {**small, "rush_ramp": 2.0}, 0)
    peak = int(generate(name, small, 0).meta["params"]["rush_hours"][-1])
    assert hourly(ramp)[peak] > 2.2 * hourly(base)[peak]
    assert ramp.n_tasks > base.n_tasks


def test_rush_profile_is_a_triangle_around_each_peak():
    flat = rush_profile((1.0,) * 24, 1.0, (8.0, 18.0), 2.0)
    assert flat[8] == flat[18] == 2.0 and flat[7] == flat[9] == 1.5
    assert flat[12] == 1.0 and flat[3] == 1.0


@pytest.mark.parametrize("name", ["nyc", "jakarta_ojol"])
def test_hotspot_share_concentrates_origins(name):
    params = {"n_tasks": 2000}
    spread = generate(name, {**params, "hotspot_share": 0.0}, 0)
    packed = generate(name, {**params, "hotspot_share": 1.0}, 0)
    xy = spread.meta["params"]["hotspot_xy"]
    centres = np.asarray(xy).reshape(-1, 2)

    def near(s):
        o = np.column_stack([col(s.tasks, "origin_x"), col(s.tasks, "origin_y")])
        return np.linalg.norm(o[:, None] - centres[None], axis=2).min(axis=1)

    assert np.median(near(packed)) < 0.5 * np.median(near(spread))


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"n_taskz": 5}, TypeError, "unknown parameter.*n_taskz.*valid keys"),
        ({"supply_ratio": -1.0}, ValueError, "supply_ratio: expected > 0"),
        ({"hotspot_share": 1.5}, ValueError, r"hotspot_share: expected a share in \[0, 1\]"),
        ({"n_workers": 2.5}, TypeError, "n_workers: expected an int"),
        ({"hourly_profile": [1.0] * 23}, ValueError, "24 values"),
    ],
)
def test_bad_params_name_the_field(params, error, match):
    for name in ("nyc", "freelance"):
        with pytest.raises(error, match=match):
            generate(name, params, 0)


def test_freelance_specific_errors():
    with pytest.raises(ParamsError, match="capacity"):
        FreelanceParams(capacity=(0, 2)).check()
    with pytest.raises(ParamsError, match="n_skills"):
        FreelanceParams(n_skills=70).check()
    with pytest.raises(ParamsError, match=r"commission: expected a fee in \[0, 1\)"):
        FreelanceParams(commission=1.0).check()


# --------------------------------------------------------------------------- supply and drop-offs


def test_shifts_are_truncated_not_moved_at_the_horizon_edges() -> None:
    """Demand in the first hour only, 8-hour shifts: the plan puts workers online in that hour
    with shifts that began yesterday, cut at 00:00, none pushed later into the day (which used
    to flood the early morning with supply); likewise at the end of the horizon."""
    from gigbench.instances._tables import shifts

    rng = np.random.default_rng(0)
    online, offline = shifts(rng, 500, (8.0, 8.0), (1.0,) + (0.0,) * 23, 24.0)
    assert (online == 0.0).all() and (offline > 3600.0).all() and (offline < 2 * 3600.0).all()
    online, offline = shifts(rng, 500, (8.0, 8.0), (0.0,) * 23 + (1.0,), 24.0)
    assert (online >= 23 * 3600.0).all() and (offline == 86400.0).all()


def test_nyc_supply_at_05_is_proportionate_to_demand(nyc_day) -> None:
    """Online worker-hours per requested trip-hour at 05:00 no longer dwarf the daytime's."""
    online, offline = col(nyc_day.workers, "online_time"), col(nyc_day.workers, "offline_time")
    request = col(nyc_day.tasks, "request_time")
    minutes = col(nyc_day.tasks, "duration_min")

    def supply_per_demand(hour: int) -> float:
        start, end = hour * 3600.0, (hour + 1) * 3600.0
        online_h = np.clip(np.minimum(offline, end) - np.maximum(online, start), 0, None).sum()
        in_hour = (request >= start) & (request < end)
        return online_h / (60.0 * minutes[in_hour].sum())

    daytime = np.median([supply_per_demand(h) for h in range(9, 18)])
    assert supply_per_demand(5) < 2.0 * daytime  # it was about 8x before the fitted plan


def test_drop_offs_follow_demand_and_keep_the_trip_lengths() -> None:
    """The gravity model pulls drop-offs toward the hotspots (higher origin density at the
    drop-off than with a uniform direction) and leaves the trip-length distribution as drawn."""
    from gigbench.instances.presets import NycParams, demand_density

    params = {"n_tasks": 4000}
    pulled = generate("nyc", params | {"dest_gravity": 1.0}, 5)
    uniform = generate("nyc", params | {"dest_gravity": 0.0}, 5)

    def density_at_drop_off(s) -> float:
        xy = np.column_stack([col(s.tasks, "dest_x"), col(s.tasks, "dest_y")])
        return float(np.median(demand_density(xy, NycParams())))

    assert density_at_drop_off(pulled) > 1.5 * density_at_drop_off(uniform)
    miles = [np.median(col(s.tasks, "distance_km")) for s in (pulled, uniform)]
    assert miles[0] == pytest.approx(miles[1], rel=0.03)
