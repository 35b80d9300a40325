"""Calibration targets: what each preset must reproduce, with the public source of each figure.

A :class:`Target` names a measured quantity (``key``, computed by ``gigbench-calibrate`` from the
preset's simulated day), the published value, the band the preset must fall in, and where the
value comes from. ``sourced=False`` marks a value with no public source found: an assumption,
said as such, still checked so that the preset does not drift. The measured quantities:

* ``trip_miles_median``, ``trip_minutes_median``: medians over the scenario's requests.
* ``passenger_utilisation``: hours with a rider over online hours (the TLC's "utilization").
* ``served_of_booked``: served requests over requests whose rider accepted the quote.
* ``wait_p50_min``: median minutes from request to pickup of served riders.
* ``below_hourly_net``: share of workers whose pay per online hour after vehicle costs is below
  ``threshold`` (workers online at least ``mode.fairness_min_hours``).
* ``hourly_net_median``, ``hourly_pay_median``: median pay per online hour after and before
  vehicle costs (same workers).
* ``online_hours_mean``: mean hours online per worker and day (same workers).
* ``costs_per_online_h``: mean vehicle costs per online hour (running costs per km plus fixed
  costs per hour; same workers).
* ``fare_in_band``: share of served trips whose fare lies between the tariff at its lower and at
  its upper regulated bounds.
* ``platform_take``: 1 - worker pay / fares.
* ``utilisation``: busy job-hours over online hours times capacity (freelance).
* ``offers_refused``: share of first-round offers the workers refused.

The policy the targets are measured under is the default configuration (``gigbench
instance=<preset>``: exact welfare matching, the tariff, no repositioning, no pay rule).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TARGETS", "Target", "calibrated_presets", "targets_of"]


@dataclass(frozen=True)
class Target:
    """One figure a preset must reproduce: ``low <= measured <= high``."""

    key: str
    label: str
    value: float
    low: float
    high: float
    unit: str
    source: str
    sourced: bool = True
    threshold: float | None = None

    def holds(self, measured: float) -> bool:
        """Whether ``measured`` lies in the band (NaN never does)."""
        return bool(self.low <= measured <= self.high)


_PR_2018 = (
    "Parrott and Reich, An Earnings Standard for New York City's App-based Drivers (The New "
    "School / UC Berkeley, for the TLC, July 2018): 85% of drivers below the $17.22 standard; "
    "revised estimates (Parrott, Reich, Rochford and Yang, January 2019): 96%"
)
_TAXI_SAMPLE = (
    "NYC TLC yellow and green trip records, March 2019: a public sample of 6,500 trips "
    "(seaborn-data's taxis.csv): median 1.64 mi and 10.9 min; TLC fact books: about 1.6 mi, "
    "11 min"
)

TARGETS: dict[str, tuple[Target, ...]] = {
    "nyc": (
        Target("trip_miles_median", "median trip distance", 1.64, 1.56, 1.72, "mi", _TAXI_SAMPLE),
        Target("trip_minutes_median", "median trip duration", 10.9, 10.0, 11.8, "min",
               _TAXI_SAMPLE),
        Target(
            "passenger_utilisation", "time with a rider / online time", 0.58, 0.55, 0.61, "",
            "NYC TLC, 2017 utilisation of high-volume for-hire drivers (58%), built into the "
            "2019 minimum pay rule ($17.22 / 60 / 0.58 = $0.495 a minute); the TLC defines "
            "utilization as the share of on-duty time with a passenger (TLC driver pay FAQ)",
        ),
        Target(
            "below_hourly_net", "drivers below $17.22/h after expenses", 0.85, 0.80, 0.96, "",
            _PR_2018, threshold=17.22,
        ),
        Target(
            "costs_per_online_h", "vehicle expenses per online hour", 8.54, 7.5, 9.5, "USD/h",
            "Parrott and Reich's standard: $17.22 an hour after expenses is $25.76 before them "
            "(TLC proposed rule, October 2018, as reported by Patch and City Limits), an "
            "expense allowance of $8.54 an hour; the TLC: drivers spend $425 a week on their "
            "vehicles (press release, 4 December 2018)",
        ),
        Target(
            "hourly_net_median", "median pay per online hour after vehicle costs", 14.25, 11.0,
            17.5, "USD/h",
            "Parrott and Reich (2018), as reported by the New York Post (3 July 2018): median "
            "net earnings $14.25 an hour",
        ),
        Target(
            "served_of_booked", "requests served", 0.95, 0.90, 0.99, "",
            "no New York figure is published (the public HVFHV files hold completed "
            "trips only); Uber in California accepted 97.7-97.8% of requests, Sep 2019 - Aug "
            "2020 (SFCTA, TNCs 2020, from CPUC filings), an upper bound for served",
            sourced=False,
        ),
        Target(
            "wait_p50_min", "median wait, request to pickup", 4.0, 3.0, 5.5, "min",
            "no New York median is published; the TLC (2019) estimated 5.6 minutes "
            "(mean) of driving to a pickup in the Manhattan core, and apps quote 2-4 minutes",
            sourced=False,
        ),
    ),
    "jakarta_ojol": (
        Target(
            "fare_in_band", "fares inside the regulated band", 1.0, 1.0, 1.0, "",
            "Kepmenhub KP 667/2022 (from 10-11 Sep 2022), zone II Jabodetabek: Rp 2,550-2,800 "
            "per km, minimum Rp 10,200-11,200 for the first 4 km",
        ),
        Target(
            "platform_take", "platform's share of fares", 0.20, 0.0, 0.2001, "",
            "Kepmenhub KP 1001/2022 (amending KP 667/2022): application fee at most 15% plus a "
            "5% support fee",
        ),
        Target(
            "hourly_pay_median", "median pay per online hour before vehicle costs", 14900.0,
            10000.0, 20000.0, "IDR/h",
            "IDEAS (2023), 225 ojol drivers in Jabodetabek: gross Rp 171,600 a day over about "
            "11.5 hours (Rp 14,900 an hour); Kemenhub survey (Sep 2022, 2,016 drivers): most "
            "often Rp 50,000-100,000 a day",
        ),
        Target(
            "online_hours_mean", "hours online per driver and day", 9.0, 6.0, 12.0, "h",
            "Kemenhub survey (Sep 2022): working hours mostly 6-12 a day (42.85%); IDEAS "
            "(2023): 11.5 hours a day",
        ),
        Target(
            "costs_per_online_h", "vehicle costs per online hour", 8300.0, 4200.0, 16700.0,
            "IDR/h",
            "Kemenhub survey (Sep 2022, 2,016 Jabodetabek drivers): daily operating cost most "
            "often Rp 50,000-100,000 (44.1%), over the 6-12 hours most drivers work",
        ),
        Target(
            "below_hourly_net", "drivers below the Jakarta minimum wage after costs", 0.95, 0.85,
            1.0, "",
            "Fairwork Indonesia 2021 and 2022: no platform evidenced the minimum wage after "
            "costs for its workers; UMP DKI 2025 Rp 5,396,761 a month over 173 hours "
            "(PP 35/2021) = Rp 31,195 an hour",
            threshold=31195.0,
        ),
    ),
    "jakarta_car": (
        Target(
            "fare_in_band", "fares inside the regulated band", 1.0, 1.0, 1.0, "",
            "SK Dirjen Perhubungan Darat SK.3244/AJ/DJPD/2017 under PM 118/2018, zone I: Rp "
            "3,500-6,000 per km (the 4 km minimum fare at those bounds is an assumption)",
        ),
        Target(
            "platform_take", "platform's share of fares", 0.20, 0.0, 0.2001, "",
            "the motorbikes' 15% + 5% cap (KP 1001/2022) applied to cars",
            sourced=False,
        ),
        Target(
            "hourly_pay_median", "median pay per online hour before vehicle costs", 23000.0,
            15000.0, 32000.0, "IDR/h",
            "LD FEB UI (2019, 2018 data, Gojek-commissioned): Go-Car drivers in Jabodetabek "
            "Rp 6.0 million a month; over 26 days of 10 hours (an assumption) Rp 23,000 an hour",
            sourced=False,
        ),
        Target(
            "online_hours_mean", "hours online per driver and day", 9.0, 6.0, 12.0, "h",
            "the motorbike drivers' 6-12 hours a day (Kemenhub survey, Sep 2022); no "
            "car-specific figure found",
            sourced=False,
        ),
    ),
    "freelance": (
        Target(
            "platform_take", "platform's share of budgets", 0.20, 0.195, 0.205, "",
            "Fiverr's 20% fee on sellers (Fiverr help pages; Upwork's flat 10% since 3 May 2023 "
            "is commission=0.1)",
        ),
        Target(
            "utilisation", "busy job-hours / (online hours x capacity)", 0.5, 0.2, 0.9, "",
            "no platform publishes it; the band only keeps the preset's slack "
            "plausible (about 68% of freelancers hold more than one contract at a time, "
            "Freelance Forward 2022)",
            sourced=False,
        ),
        Target(
            "offers_refused", "first-round offers refused", 0.3, 0.0, 0.5, "",
            "workers' rates (median $25/h; $20-28/h in Freelancing in America 2019 "
            "and Freelance Forward 2020) and clients' budgets ($40/h of expected work, an "
            "assumption) overlap, so most offers are acceptable",
            sourced=False,
        ),
    ),
}  # fmt: skip


def calibrated_presets() -> list[str]:
    """Presets that have calibration targets."""
    return sorted(TARGETS)


def targets_of(preset: str) -> tuple[Target, ...]:
    """The targets of ``preset``; an unknown preset lists the calibrated ones."""
    if preset not in TARGETS:
        raise KeyError(
            f"no calibration targets for preset {preset!r}; calibrated presets are: "
            f"{', '.join(calibrated_presets())}"
        )
    return TARGETS[preset]
