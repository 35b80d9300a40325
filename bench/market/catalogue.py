"""The metric catalogue: every ``m_*`` column of a run's row, once, with its section, unit,
better direction, definition and who it counts. The CLI summary and the docs' metric reference
(:func:`markdown`, written to ``docs/reference/metrics.md`` by ``docs/gen_metrics.py``) are built
from it; a test holds the keys each mode's runs produce equal to it.

Sections: **efficiency** is what the market as a whole produces, serves, pays and how fast
(totals, rates and ratios of totals); **fairness** is how outcomes are spread over workers,
zones and groups, the worst-off included; **management** is what the platform does to its
workers beyond matching and paying them (ratings, deactivation, incentives, hours); **timing**
is the run's clock and the seconds its parts took.

Pay per hour is filed by what it measures. Figures of the distribution of each worker's hourly
pay, over the workers the fairness rule counts (mean, 10th percentile, minimum, Gini, Jain,
the share below the minimum wage, the gap between groups), are fairness: they are read against
one another. Fleet-wide ratios of totals (all pay over all online hours, ``pay_per_hour``) are
efficiency, like ``worker_pay``: they say what the market pays for an hour of work, not who gets
it.

Units: ``currency`` is the market's (``market.currency``: USD, IDR); ``share`` is a fraction in
[0, 1]; ``index`` a dimensionless inequality index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "CATALOGUE",
    "SIMULATE",
    "STATIC",
    "Better",
    "Metric",
    "Section",
    "lookup",
    "markdown",
    "metrics_in",
]

SIMULATE = "simulate"
STATIC = "static"


class Section(Enum):
    """Where a metric belongs (module docs)."""

    EFFICIENCY = "efficiency"
    FAIRNESS = "fairness"
    # The management stages (ratings, deactivation, incentives) have no metric yet.
    MANAGEMENT = "management"
    TIMING = "timing"


class Better(Enum):
    """Which way a metric improves; NONE where more is neither better nor worse (a transfer
    between riders, workers and the platform; a count; a reference value)."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


@dataclass(frozen=True)
class Metric:
    """One metric of a run's row (column ``m_<name>``)."""

    name: str
    section: Section
    unit: str
    better: Better
    definition: str
    counts: str
    modes: tuple[str, ...] = (SIMULATE,)

    def unit_in(self, currency: str | None) -> str:
        """The unit with ``currency`` spelt out (``currency/h`` -> ``USD/h``) when known."""
        return self.unit.replace("currency", currency) if currency else self.unit


E, F, T = Section.EFFICIENCY, Section.FAIRNESS, Section.TIMING
UP, DOWN, NONE = Better.HIGHER, Better.LOWER, Better.NONE

REQUESTS = "every request of the run"
SERVED = "served trips"
FLEET = "every worker, over their online hours"
# pay_fairness in gigbench.sim.results
FAIR_WORKERS = (
    "workers online at least `mode.fairness_min_hours` (1 h) a day on average over the days "
    "they were online"
)
ZONES = "origin zones with at least `mode.zone_min_requests` (50) requests"
RECORDED = "served trips whose trip record carries a driver pay (HVFHV replays; else none)"
SOLVED = "problems solved (not skipped)"
BOTH = (SIMULATE, STATIC)

_EFFICIENCY = [
    Metric("requests", E, "requests", NONE, "tasks requested", REQUESTS),
    Metric("match_rate", E, "share", UP, "served requests / requests", REQUESTS),
    Metric("abandonment", E, "share", DOWN,
           "requests whose patience ran out before a match / requests", REQUESTS),
    Metric("declined", E, "share", DOWN,
           "requests whose rider found the quoted fare above their willingness to pay / "
           "requests", REQUESTS),
    Metric("offers_refused", E, "share", DOWN,
           "candidate pairs the worker refused (pay below the worker's cost) / candidate pairs",
           "each request's first round of candidate pairs"),
    Metric("welfare", E, "currency", UP,
           "sum of rider value minus worker cost (reservation wage over pickup and trip minutes "
           "plus running cost per km)", SERVED),
    Metric("gross_fares", E, "currency", NONE, "sum of the fares riders paid", SERVED),
    Metric("platform_revenue", E, "currency", NONE,
           "gross fares minus worker pay: commission and fees kept, after pay-rule top-ups",
           SERVED),
    Metric("worker_pay", E, "currency", UP,
           "sum of the workers' pay: fare after commission, with the pay rule's top-ups", SERVED),
    Metric("driver_pay_share", E, "share", UP, "worker_pay / gross_fares", SERVED),
    Metric("wait_p50_s", E, "s", DOWN,
           "median seconds from request to pickup (time matched plus the drive to the rider)",
           SERVED),
    Metric("wait_p90_s", E, "s", DOWN,
           "90th percentile of seconds from request to pickup", SERVED),
    Metric("pickup_km_mean", E, "km", DOWN, "mean road km driven empty to the rider", SERVED),
    Metric("utilisation", E, "share", UP,
           "busy hours (pickup plus trip) / (online hours x capacity)", FLEET),
    Metric("passenger_utilisation", E, "share", UP,
           "hours with a rider on board / (online hours x capacity)", FLEET),
    Metric("cruise_km_share", E, "share", NONE,
           "km driven while repositioning / all km driven (pickup, trip and cruising)", FLEET),
    Metric("surge_share", E, "share", NONE,
           "served trips whose fare is above 1.05 x the tariff / served trips (0 if none)",
           SERVED),
    Metric("paid_below_cost", E, "share", DOWN,
           "served trips whose worker pay is below the worker's cost / served trips", SERVED),
    Metric("pay_topup", E, "currency", NONE,
           "what the platform paid to bring pay up to the pay rule's floor", SERVED),
    Metric("topped_up_share", E, "share", NONE,
           "served trips the pay rule topped up / served trips", SERVED),
    Metric("workers_online", E, "workers", NONE, "workers with any online time",
           "every worker of the pool"),
    Metric("pool_share", E, "share", NONE, "workers_online / workers in the pool",
           "every worker of the pool"),
    Metric("online_hours", E, "h", NONE, "online hours, summed over workers", FLEET),
    Metric("pay_per_hour", E, "currency/h", UP,
           "all worker pay / all online hours: the fleet's pay for an hour online, before "
           "vehicle costs", FLEET),
    Metric("net_per_hour", E, "currency/h", UP,
           "all worker pay minus vehicle costs / all online hours", FLEET),
    Metric("pay_per_trip_min", E, "currency/min", NONE,
           "simulated worker pay / trip minutes", RECORDED),
    Metric("observed_pay_per_trip_min", E, "currency/min", NONE,
           "recorded driver pay / trip minutes, on the same trips", RECORDED),
    Metric("pay_per_trip_min_ratio", E, "ratio", NONE,
           "pay_per_trip_min / observed_pay_per_trip_min: 1 = paid as the record was", RECORDED),
    Metric("observed_pay_trips", E, "trips", NONE,
           "served trips with a recorded driver pay", RECORDED),
    Metric("problems", E, "problems", NONE, "problems in the set", "every problem of the set",
           (STATIC,)),
    Metric("skipped", E, "problems", DOWN,
           "problems the solver declined (its skip() gave a reason)", "every problem of the set",
           (STATIC,)),
    Metric("optimal_share", E, "share", UP,
           "solutions with status OPTIMAL / problems solved", SOLVED, (STATIC,)),
    Metric("max_gap_to_optimum", E, "ratio", DOWN,
           "largest |objective - published optimum| / |published optimum|",
           "solved problems with a published optimum (OR-Library)", (STATIC,)),
]  # fmt: skip

_HOURLY = "each worker's pay / online hours"
_NET = "each worker's (pay - vehicle costs) / online hours"
_FAIRNESS = [
    Metric("gini", F, "index", DOWN,
           f"Gini of {_HOURLY}, in [0, 1]; 0 = all earn alike", FAIR_WORKERS),
    Metric("jain", F, "index", UP,
           f"Jain index of {_HOURLY}, in [1/n, 1]; 1 = all earn alike", FAIR_WORKERS),
    Metric("hourly_pay_mean", F, "currency/h", UP, f"mean of {_HOURLY}", FAIR_WORKERS),
    Metric("hourly_pay_p10", F, "currency/h", UP, f"10th percentile of {_HOURLY}", FAIR_WORKERS),
    Metric("hourly_pay_min", F, "currency/h", UP, f"lowest of {_HOURLY}", FAIR_WORKERS),
    Metric("hourly_net_mean", F, "currency/h", UP, f"mean of {_NET}", FAIR_WORKERS),
    Metric("hourly_net_p10", F, "currency/h", UP, f"10th percentile of {_NET}", FAIR_WORKERS),
    Metric("hourly_net_min", F, "currency/h", UP, f"lowest of {_NET}", FAIR_WORKERS),
    Metric("below_min_wage", F, "share", DOWN,
           "share of workers whose (pay - vehicle costs) / online hours is below "
           "`market.min_wage_per_h`", FAIR_WORKERS),
    Metric("group_hourly_gap", F, "currency/h", DOWN,
           f"best minus worst group mean of {_HOURLY} (0 with one group)",
           f"{FAIR_WORKERS}, by their group label"),
    Metric("zone_worst_served", F, "share", UP, "lowest zone served share (served / requests)",
           ZONES),
    Metric("zone_service_gini", F, "index", DOWN,
           "request-weighted Gini of the zones' served shares", ZONES),
    Metric("zone_worst_served_shuffled", F, "share", NONE,
           "zone_worst_served with the served flags shuffled over all requests (seeded): its "
           "value when service does not depend on the zone", ZONES),
    Metric("zone_service_gini_shuffled", F, "index", NONE,
           "zone_service_gini with the served flags shuffled over all requests (seeded)", ZONES),
]  # fmt: skip

# The simulation loop's stages (gigbench.sim.state.STAGES), each timed on its own.
STAGES = {
    "days": "building each day's state and closing its figures",
    "arrivals": "opening new requests and dropping those out of patience",
    "supply": "putting online workers with a free slot up for matching",
    "reposition": "moving idle workers",
    "quote": "quoting fares",
    "acceptance": "riders accepting quotes and workers accepting pairs",
    "candidates": "finding each open request's candidate workers",
    "weigh": "the objective's edge weights",
    "match": "building, solving and validating the batch's problem",
    "settle": "fares, commission, pay rule and payment of matched trips",
    "move": "dispatching matched workers",
}
_BATCHES = "every batch of the run"
_TIMING = [
    Metric("days", T, "days", NONE, "days the run lasted (`mode.days`)", "the run"),
    Metric("batches", T, "batches", NONE, "batches, one every `mode.interval_s`", _BATCHES),
    Metric("batches_solved", T, "batches", NONE,
           "batches that called the solver (at least one candidate pair)", _BATCHES),
    Metric("solve_s_total", T, "s", DOWN,
           "seconds in the solver's timed solve(): summed over batches (simulate); the sum of "
           "each problem's median over `mode.repeats` (static)",
           "batches that called the solver; static: problems solved", BOTH),
    Metric("solve_s_per_batch", T, "s", DOWN,
           "solve_s_total / batches_solved (0 with none)", "batches that called the solver"),
    Metric("solve_s_median", T, "s", DOWN,
           "median over problems of each problem's median solve seconds over `mode.repeats`",
           SOLVED, (STATIC,)),
    Metric("prepare_s_total", T, "s", DOWN,
           "seconds in the solver's untimed prepare() (model building, JIT warm-up)",
           "batches that called the solver"),
    Metric("validate_s_total", T, "s", NONE,
           "seconds checking each solution against its problem", "batches that called the solver"),
    Metric("edge_s_total", T, "s", DOWN,
           "seconds building the edges: candidates, acceptance and weigh stages", _BATCHES),
    *(Metric(f"stage_s_{name}", T, "s", DOWN, f"seconds in the {name} stage: {what}",
             "every day of the run" if name == "days" else _BATCHES)
      for name, what in STAGES.items()),
]  # fmt: skip

CATALOGUE: tuple[Metric, ...] = (*_EFFICIENCY, *_FAIRNESS, *_TIMING)
_BY_NAME = {metric.name: metric for metric in CATALOGUE}


def lookup(name: str) -> Metric | None:
    """The catalogue's entry for ``name`` (the column without ``m_``), or None."""
    return _BY_NAME.get(name)


def metrics_in(mode: str) -> Iterator[Metric]:
    """The metrics a run of ``mode`` produces, in catalogue order."""
    return (metric for metric in CATALOGUE if mode in metric.modes)


def markdown() -> str:
    """The docs' metric reference: one table per section, in catalogue order."""
    lines = [
        "# Metric reference",
        "",
        "<!-- Generated by `python docs/gen_metrics.py` from gigbench.market.catalogue: "
        "edit the catalogue, not this page. -->",
        "",
        "Every run's row (`rows/<run_id>.parquet`) has one column `m_<name>` per metric of its "
        "mode; absent values are nulls. Units: `currency` is the market's (`market.currency`), "
        "`share` a fraction in [0, 1], `index` an inequality index. *Better* says which way "
        "the metric improves (`none`: neither way, e.g. a transfer or a count).",
        "",
        "Pay per hour is filed by what it measures: the distribution of each worker's hourly "
        "pay over the workers fairness counts is **fairness**; fleet-wide totals over total "
        "hours are **efficiency**.",
    ]
    for section in Section:
        rows = [m for m in CATALOGUE if m.section is section]
        if not rows:
            continue
        lines += [
            "",
            f"## {section.value.capitalize()}",
            "",
            "| metric | mode | unit | better | definition | counted |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for m in rows:
            cells = [f"`{m.name}`", ", ".join(m.modes), m.unit, m.better.value, m.definition,
                     m.counts]  # fmt: skip
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
