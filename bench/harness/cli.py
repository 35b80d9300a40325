"""The ``gigbench`` command: plan and check, then Hydra runs each job through the harness.

Exit codes: 0 every run ok (or skipped), 1 a run failed (its row says why; a bug's traceback
is in its log), 2 a mistake in the command line, config or inputs (one line, before anything
runs where it can be found then), 130 interrupted. ``--help`` reads the config folder without
importing Hydra; ``GIGBENCH_DEBUG=1`` re-raises instead of printing one line.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from gigbench.harness.failures import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USER, UserError
from gigbench.resources import HYDRA_CONFIG_PATH, config_groups, config_options, main_defaults

_HYDRA_FLAGS = ("--hydra-help", "--info", "-i", "--cfg", "-c", "--shell-completion", "-sc")
_SHOWING_FLAGS = ("--info", "-i", "--cfg", "-c")  # they compose the command line's config


def main() -> None:
    """Console entry point of ``gigbench``."""
    args = sys.argv[1:]
    if any(a in ("--help", "-h") for a in args):
        print(help_text())
        return
    if any(a.split("=")[0] in _HYDRA_FLAGS for a in args):
        if any(a.split("=")[0] in _SHOWING_FLAGS for a in args):
            _guard(lambda: _check_keys(args))
        _guard(_register)
        _guard(_run_hydra)
        return
    sweep = _guard(lambda: _plan(args))
    try:
        _run_hydra()
    except KeyboardInterrupt:
        from gigbench.harness.sweep import done_count

        done = done_count(sweep)
        print(
            f"gigbench: interrupted: {done} of {sweep.size} runs done; run the same command "
            "again to finish",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERRUPTED)
    if len(sys.argv) > 1 and any(a in ("-m", "--multirun") for a in args):
        from gigbench.harness.sweep import summary

        text, failed = summary(sweep)
        print(text)
        if failed:
            sys.exit(EXIT_BUG)


def _check_keys(args: list[str]) -> None:
    from gigbench.harness.compose import check_keys

    check_keys(args)


def _register() -> None:
    from gigbench.harness.compose import register

    register()


def _plan(args: list[str]):
    """Register, compose and check every swept value, check the results folders; the sweep."""
    from gigbench.harness.compose import plan_sweep
    from gigbench.harness.sweep import Sweep

    plan = plan_sweep(args)
    for folder in plan.results_dirs:
        check_writable(Path(folder))
    sweep = Sweep(size=plan.size, swept=plan.swept, results_dirs=plan.results_dirs)
    sweep.export()
    return sweep


def check_writable(results_dir: Path) -> None:
    """Raise :class:`UserError` unless rows can be written under ``results_dir``."""
    probe = results_dir / "rows" / f".gigbench-write-test-{os.getpid()}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        if results_dir.exists() and not results_dir.is_dir():
            reason = "it is a file, not a folder"
        raise UserError(
            f"results_dir={results_dir}: expected a folder this process can write, got "
            f"'{reason}' at {exc.filename or probe}; pass results_dir=<a writable folder>"
        ) from None


def _guard(step):
    """Run ``step``; a user's mistake is one line and exit 2, a bug its traceback and exit 1,
    Ctrl-C one line and exit 130."""
    from gigbench.harness.failures import checking_errors, error_line

    try:
        return step()
    except KeyboardInterrupt:
        print("gigbench: interrupted before any run started", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("GIGBENCH_DEBUG"):
            raise
        if isinstance(exc, checking_errors()):
            print(f"gigbench: error: {error_line(exc)}", file=sys.stderr)
            sys.exit(EXIT_USER)
        traceback.print_exc()
        print(f"gigbench: bug: {type(exc).__name__}: {exc} (traceback above)", file=sys.stderr)
        sys.exit(EXIT_BUG)


def _task(cfg) -> None:
    """Hydra's task: one run under the harness; a mistake found only now is one line."""
    from gigbench.harness.run import run

    try:
        run(cfg)
    except UserError as exc:
        print(f"gigbench: error: {exc}", file=sys.stderr)
        sys.exit(EXIT_USER)


def _run_hydra() -> None:
    """Hydra's entry point on :func:`_task`: Hydra composes each job's config itself."""
    import hydra

    app = hydra.main(config_path=HYDRA_CONFIG_PATH, config_name="config", version_base="1.3")
    app(_task)()


def help_text() -> str:
    """The command's help, from the config tree (no Hydra import: it is instant)."""
    defaults = main_defaults()
    groups = config_groups()
    plugins = installed_plugins()
    lines = [
        "gigbench: efficiency against fairness of gig-economy matching and pricing.",
        "",
        "usage: gigbench [key=value ...]            one run (the defaults below)",
        "       gigbench -m key=a,b [key=value ...]  a sweep: one run per combination",
        "       gigbench --cfg job [key=value ...]   print the composed config, run nothing",
        "       gigbench --hydra-help                Hydra's own flags",
        "",
        "config groups (group=option; * = default):",
    ]
    experiments = groups.pop("experiment", [])
    for group, options in sorted(groups.items()):
        marked = [f"{o}*" if defaults.get(group) == o else o for o in options]
        extra = [f"{name} ({dist})" for name, dist in plugins.get(group, [])]
        more = f"; installed: {', '.join(extra)}" if extra else ""
        lines.append(f"  {group:<11}{', '.join(marked)}{more}")
    launchers = config_options("hydra", "launcher")
    lines += [
        "",
        f"experiments:  gigbench -m +experiment=<name>   {', '.join(experiments)}",
        f"launchers:    hydra/launcher=<name>            joblib, submitit_local, ray, "
        f"{', '.join(launchers)}",
        "harness keys: results_dir=results run.timeout_s=600 run.memory_gb=8 run.isolate=true "
        "run.redo=false run.retry_failed=false",
        "keys of a group: gigbench --cfg job solver=<option>",
        "installed plugins: listed in their groups; check one: gigbench-conformance KIND NAME",
        "",
        "exit codes: 0 all runs ok or skipped, 1 a run failed (see its row and log), "
        "2 a mistake in the command, 130 interrupted",
        "then: gigbench-collect <results_dir>; gigbench-report <results_dir>",
    ]
    return "\n".join(lines)


def installed_plugins() -> dict[str, list[tuple[str, str]]]:
    """Config group -> (name, distribution) of each installed plugin, from the entry points'
    metadata alone (no registry is imported: ``--help`` stays instant)."""
    from importlib.metadata import entry_points

    from gigbench.kinds import KINDS

    found = entry_points()
    return {
        kind.config_group: sorted(
            (entry.name, entry.dist.name if entry.dist else "?")
            for entry in found.select(group=kind.entry_group)
        )
        for kind in KINDS.values()
    }
