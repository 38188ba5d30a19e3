"""deployments/bestanden.py: case data readable by the service alone (issue 23, point 6).
After a real start, every file of the system: tests/flows/test_bestanden.py."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import urllib.request

import pytest

from deployments.bestanden import OpenbareMap, open_prive, prive_map


def _rechten(pad) -> int:
    return stat.S_IMODE(os.stat(pad).st_mode)


@contextlib.contextmanager
def _umask(waarde: int):
    """A process that did not set its own umask (the usual 022): what is made 0600 here is
    made so by the code, not by the test process's umask."""
    oud = os.umask(waarde)
    try:
        yield
    finally:
        os.umask(oud)


@pytest.mark.parametrize("rechten", [0o755, 0o750, 0o711, 0o701, 0o770], ids=oct)
def test_a_directory_others_can_open_is_refused_with_what_to_run(tmp_path, rechten):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(rechten)
    with pytest.raises(OpenbareMap) as fout:
        prive_map(data)
    bericht = str(fout.value)
    assert "\n" not in bericht
    assert f"rechten {rechten:o}" in bericht
    assert bericht.endswith(f"chmod 700 {data}")


def test_a_directory_of_the_service_alone_is_accepted(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o700)
    assert prive_map(data) == data


def test_a_missing_directory_is_created_for_the_service_alone(tmp_path):
    with _umask(0o022):
        prive_map(tmp_path / "nieuw" / "data")
    assert _rechten(tmp_path / "nieuw" / "data") == 0o700


def test_a_file_of_the_system_is_0600_whatever_the_umask(tmp_path):
    nieuw, oud = tmp_path / "runner.log", tmp_path / "server.log"
    oud.write_text("van een vorige versie\n")
    oud.chmod(0o644)
    with _umask(0o022):
        for pad in (nieuw, oud):
            with open_prive(pad, "ab") as fh:
                fh.write(b"regel\n")
    assert (_rechten(nieuw), _rechten(oud)) == (0o600, 0o600)
    assert oud.read_text() == "van een vorige versie\nregel\n"  # appended, not replaced


def test_the_demo_notification_file_is_0600(tmp_path):
    from deployments.sink import Sink

    pad = tmp_path / "demo-notificaties.jsonl"
    with _umask(0o022):
        sink = Sink(log_file=pad).start()
        try:
            body = json.dumps({"title": "Besluit", "message": "BSN 999990044"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{sink.port}/", data=body)
            urllib.request.urlopen(request, timeout=5).read()
        finally:
            sink.stop()
    assert _rechten(pad) == 0o600
    assert "999990044" in pad.read_text()


def test_meerzorg_up_refuses_an_open_data_directory_in_one_line(tmp_path, monkeypatch, capsys):
    from deployments.cli import main

    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    monkeypatch.setenv("MEERZORG_DATA_DIR", str(data))
    assert main(["up"]) == 2
    uitvoer = capsys.readouterr()
    assert uitvoer.err.splitlines() == [
        f"meerzorg: {data} bevat zaakgegevens en is toegankelijk voor anderen (rechten 755); "
        f"maak hem alleen voor de service: chmod 700 {data}"
    ]
    assert sorted(data.iterdir()) == []  # nothing started, nothing written
