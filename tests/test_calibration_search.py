"""Calibration: the search recovers parameters that produced synthetic targets, resumes, and
refuses bad input."""

from __future__ import annotations

import pytest

pytest.importorskip("optuna", reason="calibration needs Optuna (pip install -e '.[calibrate]')")

from labour_abm.analysis.validation import Target, statistics  # noqa: E402
from labour_abm.errors import UserError  # noqa: E402
from labour_abm.experiments.calibration import calibrate, load_free, loss, read_parameters  # noqa: E402
from labour_abm.experiments.run import simulate  # noqa: E402

SMALL = {"initial_stock": 1500}
TRUE = {"hire_probability_per_application": 0.09, "other_exit_per_month": 0.003}


def test_loss_is_zero_on_target_and_one_at_one_tolerance():
    targets = [Target(statistic="share_single", value=0.7, tolerance=0.05, source="x"),
               Target(statistic="monthly_exit_hazard", value=0.02, tolerance=0.002, source="y")]
    assert loss({"share_single": 0.7, "monthly_exit_hazard": 0.02}, targets) == 0
    assert loss({"share_single": 0.75, "monthly_exit_hazard": 0.018}, targets) == pytest.approx(1.0)


@pytest.mark.slow
def test_the_search_recovers_known_parameters_from_targets_the_model_made(tmp_path):
    # targets: the statistics of a run at known parameter values (same seed: no noise at the truth)
    made = simulate("nijmegen", seed=1, months=36, **SMALL, **TRUE)
    stats = statistics(made.monthly, made.spells)
    lines = []
    for name in ("monthly_exit_hazard", "share_exits_to_work"):
        lines += ["[[target]]", f'statistic = "{name}"', f"value = {stats[name]!r}",
                  f"tolerance = {stats[name] * 0.02!r}", 'source = "the model itself"']
    (tmp_path / "targets.toml").write_text("\n".join(lines) + "\n")
    (tmp_path / "free.toml").write_text(
        '[free.hire_probability_per_application]\nrange = [0.05, 0.13]\nwhy = "exits"\n'
        '[free.other_exit_per_month]\nrange = [0.001, 0.006]\nwhy = "share to work"\n')
    result = calibrate("nijmegen", trials=40, replications=1, months=36, targets=tmp_path / "targets.toml",
                       free=tmp_path / "free.toml", out=tmp_path / "cal", workers=1, fixed=SMALL)
    found = result["parameters"]
    assert found["hire_probability_per_application"] == pytest.approx(TRUE["hire_probability_per_application"],
                                                                      rel=0.12)
    assert found["other_exit_per_month"] == pytest.approx(TRUE["other_exit_per_month"], rel=0.3)
    assert result["loss"] < 1.0
    # the calibrated file reads back as parameters: the best set and what was held fixed
    assert read_parameters(tmp_path / "cal" / "calibrated.toml") == {**found, **SMALL}
    assert (tmp_path / "cal" / "fit.png").stat().st_size > 10_000

    # resume: the same command with more trials adds only the missing ones
    again = calibrate("nijmegen", trials=43, replications=1, months=36, targets=tmp_path / "targets.toml",
                      free=tmp_path / "free.toml", out=tmp_path / "cal", workers=1, fixed=SMALL)
    assert again["trials"] == 43 and again["loss"] <= result["loss"]
    with pytest.raises(UserError, match="other settings"):
        calibrate("nijmegen", trials=5, replications=1, months=24, targets=tmp_path / "targets.toml",
                  free=tmp_path / "free.toml", out=tmp_path / "cal", workers=1, fixed=SMALL)


@pytest.mark.slow
def test_the_first_trial_is_the_current_model(tmp_path):
    from labour_abm.core.params import Parameters

    result = calibrate("nijmegen", trials=1, replications=1, months=24, out=tmp_path / "c", workers=1, fixed=SMALL)
    defaults = Parameters()
    assert result["parameters"] == {name: float(getattr(defaults, name)) for name in load_free()}


def test_a_run_too_short_for_a_target_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(UserError, match="--months 12 is too short for the target return_12m_after_work"):
        calibrate("nijmegen", trials=1, replications=1, months=12, out=tmp_path / "c", workers=1, fixed=SMALL)
    assert not (tmp_path / "c").exists()


def test_an_out_that_is_a_file_or_holds_broken_settings_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="exists and is not a directory"):
        calibrate("nijmegen", trials=1, replications=1, months=24, out=tmp_path / "file", workers=1, fixed=SMALL)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "settings.json").write_text("{broken")
    with pytest.raises(UserError, match="settings.json is not a calibration's"):
        calibrate("nijmegen", trials=1, replications=1, months=24, out=tmp_path / "c", workers=1, fixed=SMALL)
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["settings.json"]  # nothing else written


@pytest.mark.parametrize("text, message", [
    ('[free.nope]\nrange = [0, 1]\nwhy = "x"\n', "nope"),
    ('[free.hire_probability_per_application]\nrange = [0.1, 0.05]\nwhy = "x"\n', "low < high"),
    ('[free.hire_probability_per_application]\nrange = [0.05, 2.0]\nwhy = "x"\n', "less than or equal to 1"),
    ('[free.hire_probability_per_application]\nrange = [0.05, 0.1]\n', "why"),
])
def test_bad_free_parameter_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "free.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=message):
        load_free(path)


def test_the_shipped_free_parameters_load():
    free = load_free()
    assert "hire_probability_per_application" in free and all(p.why for p in free.values())
