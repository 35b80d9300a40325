"""``gigbench-instance-plot``: one readable PNG per preset, and one-line errors."""

from __future__ import annotations

import pytest

from gigbench.instances.plot import main

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("preset", ["nyc", "jakarta_ojol", "jakarta_car", "freelance", "city"])
def test_plot_writes_a_png_per_preset(tmp_path, preset, capsys):
    out = tmp_path / f"demand_{preset}.png"
    knobs = [] if preset == "city" else ["--set", "rush_ramp=0.5"]
    assert main([preset, "--out", str(out), "--n-tasks", "400", *knobs]) == 0
    data = out.read_bytes()
    assert data.startswith(PNG) and len(data) > 20_000
    assert str(out) in capsys.readouterr().out


def test_plot_errors_are_one_line_with_exit_2(tmp_path, capsys):
    assert main(["nope", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown generator 'nope'" in err and "nyc" in err
    assert main(["nyc", "--out", str(tmp_path / "x.png"), "--set", "rush_ramp"]) == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err
    assert main(["nyc", "--out", str(tmp_path / "x.png"), "--set", "supply_ratio=-1"]) == 2
    assert "supply_ratio: expected > 0" in capsys.readouterr().err
