"""moikg._background: a function on a daemon thread, its value or its error handed back."""

from __future__ import annotations

import threading

import pytest

from moikg._background import Background


def test_result_is_the_functions_value_computed_on_another_thread() -> None:
    names: list[str] = []

    def work() -> int:
        names.append(threading.current_thread().name)
        return 42

    job = Background(work, name="moikg test job")
    assert job.result() == 42
    assert job.result() == 42  # asked twice: the same value, no second run
    assert names == ["moikg test job"]


def test_an_error_is_raised_in_the_callers_thread() -> None:
    def work() -> int:
        raise ValueError("queries/broken.rq: line 3: bad syntax")

    job = Background(work, name="moikg failing job")
    with pytest.raises(ValueError, match=r"queries/broken\.rq: line 3"):
        job.result()


def test_the_thread_is_a_daemon_so_an_interrupted_caller_does_not_wait_for_it() -> None:
    release = threading.Event()
    job = Background(lambda: release.wait(10), name="moikg waiting job")
    try:
        assert job._thread.daemon and job._thread.is_alive()
    finally:
        release.set()
    assert job.result() is True
