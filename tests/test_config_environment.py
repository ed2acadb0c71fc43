"""Settings an environment variable overrides (the Action's day-rate input)."""

from __future__ import annotations

import pytest

from archreview.config import load_config
from archreview.errors import ConfigError


def test_day_rate_from_the_environment(tmp_path, monkeypatch):
    (tmp_path / ".archreview.toml").write_text("day_rate = 500\n")
    assert load_config(tmp_path).get("day_rate") == 500
    monkeypatch.setenv("ARCHREVIEW_DAY_RATE", "1200.5")
    assert load_config(tmp_path).get("day_rate") == 1200.5
    assert load_config(tmp_path / "nowhere").get("day_rate") == 1200.5
    monkeypatch.setenv("ARCHREVIEW_DAY_RATE", "")
    assert load_config(tmp_path).get("day_rate") == 500


@pytest.mark.parametrize("value", ["lots", "-1"])
def test_a_bad_day_rate_is_a_configuration_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("ARCHREVIEW_DAY_RATE", value)
    with pytest.raises(ConfigError, match="ARCHREVIEW_DAY_RATE"):
        load_config(tmp_path)
