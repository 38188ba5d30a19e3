"""The log guard itself: what counts as a fault in a service log, and what is read when."""

from __future__ import annotations

from tests.logguard import LogGuard

EXIT_SIGNAL = (
    "Exception ignored in: <module 'threading' from '/usr/lib/python3.11/threading.py'>\n"
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3.11/threading.py", line 1560, in _shutdown\n'
    "    lock.acquire()\n"
)


class _System:
    def __init__(self, path):
        self.path = path

    def log_files(self):
        return [self.path]


def _guard(tmp_path, text=""):
    path = tmp_path / "runner.log"
    path.write_text(text)
    guard = LogGuard()
    guard.watch(_System(path))
    return guard, path


def test_an_error_line_and_a_traceback_are_faults(tmp_path):
    guard, _ = _guard(
        tmp_path,
        "12:00:00.000 | INFO    | ok\n"
        "12:00:01.000 | ERROR   | boom\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "ValueError: nee\n",
    )
    assert len(guard.problems()) == 1
    assert guard.problems() == []  # read once


def test_a_traceback_still_being_written_is_read_whole_at_the_next_check(tmp_path):
    guard, path = _guard(tmp_path, EXIT_SIGNAL)
    assert guard.problems() == []  # unfinished: not judged on its first lines
    with open(path, "a") as fh:
        fh.write("RuntimeError: something else went wrong\n")
    (found,) = guard.problems()
    assert found[1].startswith("Exception ignored") and "RuntimeError" in found[1]


def test_a_process_signalled_while_exiting_is_not_a_fault(tmp_path):
    guard, path = _guard(tmp_path, EXIT_SIGNAL + "prefect.exceptions.TerminationSignal\n")
    assert guard.problems() == []
    with open(path, "a") as fh:
        fh.write(EXIT_SIGNAL + "KeyboardInterrupt: \n")
    assert guard.problems() == []


UNFINISHED = (
    "12:00:01.000 | INFO    | werk\n"
    "Traceback (most recent call last):\n"
    '  File "/work/tasks/zaak.py", line 12, in vuur\n'
)


def test_at_the_end_an_unfinished_traceback_counts_as_it_is(tmp_path):
    guard, path = _guard(tmp_path, UNFINISHED)
    assert guard.problems() == []
    assert len(guard.problems(files=[path], final=True)) == 1


def test_an_exit_trace_cut_off_by_a_kill_is_not_a_fault_but_other_cut_traces_are(tmp_path):
    """The runner is killed while its interpreter prints the threading shutdown; the next
    runner writes on in the same file, after a log line of the killed one."""
    cut = EXIT_SIGNAL.rsplit("    lock.acquire()", 1)[0]
    guard, path = _guard(tmp_path, "12:00:00.000 | INFO    | paused.\n" + cut)
    with open(path, "a") as fh:
        fh.write("12:00:09.000 | INFO    | runner started\n")
    assert guard.problems() == []
    with open(path, "a") as fh:
        fh.write(UNFINISHED + "12:00:10.000 | INFO    | runner started\n")
    assert len(guard.problems()) == 1


def test_a_restarted_runner_writing_in_the_stopped_ones_file_is_read_once(tmp_path):
    guard, path = _guard(tmp_path, "12:00:01.000 | ERROR   | boom\n")
    system = guard.systems[0]
    guard.unwatch(system)
    guard.watch(_System(path))  # the new runner, same log file
    assert len(guard.problems()) == 1


def test_a_stopped_system_is_still_read_once_after_unwatch(tmp_path):
    guard, path = _guard(tmp_path, "12:00:01.000 | ERROR   | boom\n")
    system = guard.systems[0]
    guard.unwatch(system)
    assert len(guard.problems()) == 1
    assert guard.problems() == []
