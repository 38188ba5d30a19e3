"""models/settings.py: one Settings, read again only when what it is read from changed."""

from __future__ import annotations

from models.settings import get_settings


def test_settings_are_read_once_for_the_same_environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEERZORG_PREFECT_PORT", "4311")
    assert get_settings() is get_settings()
    assert get_settings().prefect_port == 4311


def test_a_changed_environment_variable_is_read_at_the_next_call(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEERZORG_PREFECT_PORT", "4311")
    eerst = get_settings()
    monkeypatch.setenv("MEERZORG_PREFECT_PORT", "4312")
    assert get_settings().prefect_port == 4312
    monkeypatch.delenv("MEERZORG_PREFECT_PORT")
    assert get_settings().prefect_port == 4200
    assert eerst.prefect_port == 4311


def test_a_new_or_changed_env_file_is_read_at_the_next_call(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEERZORG_SWEEP_CRON", raising=False)
    assert get_settings().sweep_cron == ""
    (tmp_path / ".env").write_text("MEERZORG_SWEEP_CRON=0 7 * * *\n")
    assert get_settings().sweep_cron == "0 7 * * *"
    (tmp_path / ".env").write_text("MEERZORG_SWEEP_CRON=0 8 * * *\n")
    # A second write within the file system's timestamp resolution keeps its mtime.
    import os

    os.utime(tmp_path / ".env", ns=(1, 1))
    assert get_settings().sweep_cron == "0 8 * * *"
