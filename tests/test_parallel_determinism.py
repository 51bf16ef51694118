"""For any worker count and batch sizes, parallel output equals sequential, symbol for symbol."""

import functools
import os
import sysconfig

import pytest
from conftest import FIXTURES, fixture_files, fixture_language
from hypothesis import HealthCheck, given, settings, strategies as st

from ragex.config import load_config
from ragex.extract import extract_file
from ragex.parallel import ParallelSymbolExtractor, make_tasks

ROOT = os.path.join(sysconfig.get_paths()["stdlib"], "json")
FILES = sorted(os.path.join(d, f) for d, _, fs in os.walk(ROOT) for f in fs if f.endswith(".py"))
FILES += sorted(os.path.join(sysconfig.get_paths()["stdlib"], f)
                for f in ("ast.py", "typing.py", "dataclasses.py", "argparse.py"))
BASE = os.path.dirname(ROOT)


@functools.cache
def sequential() -> dict:
    """The files' symbols extracted in this process (once, and only if a test asks)."""
    return {t.rel_path: extract_file(t).symbols for t in make_tasks(FILES, BASE)}


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(workers=st.integers(1, 3), max_batch=st.integers(1, 9),
       target=st.sampled_from([0.01, 0.1, 1.0]))
def test_parallel_equals_sequential(workers, max_batch, target):
    config = load_config(environ={}, flags={"use_parallel": True, "max_workers": workers,
                                            "max_batch_size": max_batch,
                                            "target_batch_time": target})
    with ParallelSymbolExtractor(config) as extractor:
        got = {r.rel_path: r.symbols for r in extractor.iter_extract(make_tasks(FILES, BASE))}
    assert got == sequential()


def test_raw_results_carry_rows_not_symbols():
    """raw=True (the indexer's path): plain tuples in `rows`, in the pool and in-process."""
    for use_parallel in (True, False):
        config = load_config(environ={}, flags={"use_parallel": use_parallel, "max_workers": 2})
        with ParallelSymbolExtractor(config) as extractor:
            results = list(extractor.iter_extract(make_tasks(FILES, BASE), raw=True))
            assert extractor.last_stats.mode == ("parallel" if use_parallel else "sequential")
        assert all(r.symbols == [] for r in results)
        assert {r.rel_path: r.rows for r in results} == sequential()
        assert sum(r.symbol_count for r in results) == sum(map(len, sequential().values()))
        if use_parallel:  # built by no one in the main process
            assert all(type(row) is tuple for r in results for row in r.rows)


def test_pickled_raw_results_open_to_the_same_rows():
    """raw="pickled" (a Dask worker forwarding results): each file's rows pickled once."""
    for use_parallel in (True, False):
        config = load_config(environ={}, flags={"use_parallel": use_parallel, "max_workers": 2})
        with ParallelSymbolExtractor(config) as extractor:
            results = list(extractor.iter_extract(make_tasks(FILES, BASE), raw="pickled"))
        assert all(isinstance(r.rows.data, bytes) and r.symbols == [] for r in results)
        assert {r.rel_path: r.rows.unpack() for r in results} == sequential()
        assert all(type(row) is tuple for r in results for row in r.rows.unpack())
        assert sum(r.symbol_count for r in results) == sum(map(len, sequential().values()))


def test_jsonl_raw_results_are_the_records_json():
    """raw="jsonl" (`ragex extract --format jsonl`): each file's symbols as one buffer of
    JSON lines, built in the worker; the same lines as `json.dumps(symbol.to_dict())`."""
    import json

    from ragex.jsonl import JsonLines

    expected = {rel: "".join(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in syms)
                for rel, syms in sequential().items()}
    for use_parallel in (True, False):
        config = load_config(environ={}, flags={"use_parallel": use_parallel, "max_workers": 2})
        with ParallelSymbolExtractor(config) as extractor:
            results = list(extractor.iter_extract(make_tasks(FILES, BASE), raw="jsonl"))
        assert all(isinstance(r.rows, JsonLines) and r.symbols == [] for r in results)
        assert {r.rel_path: r.rows.data.decode("utf-8") for r in results} == expected
        assert sum(r.symbol_count for r in results) == sum(map(len, sequential().values()))


EXTENSIONS = {"test_lang_c": ".c", "test_lang_cpp": ".cpp", "test_lang_go": ".go",
              "test_lang_java": ".java", "test_lang_javascript": ".js", "test_lang_php": ".php",
              "test_lang_ruby": ".rb", "test_lang_rust": ".rs", "test_lang_typescript": ".ts",
              "test_lang_csharp": ".cs"}


@pytest.mark.slow
def test_mixed_languages_parallel_equals_sequential(tmp_path):
    paths = []
    for fixture in fixture_files():  # every language's fixtures, detected by file name
        for i in range(6):  # different sizes, so the queues' orders matter
            language = fixture_language(fixture)
            path = tmp_path / language / str(i) / fixture.relative_to(FIXTURES / language)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(fixture.read_bytes() + b"\n" * i * 50)
            paths.append(str(path))
    paths += FILES
    sequential = {t.rel_path: extract_file(t).symbols for t in make_tasks(paths, str(tmp_path))}
    for workers, max_batch in ((2, 4), (3, 1)):
        config = load_config(environ={}, flags={"use_parallel": True, "max_workers": workers,
                                                "max_batch_size": max_batch})
        with ParallelSymbolExtractor(config) as extractor:
            results = list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        assert all(r.status == "ok" for r in results)
        assert {r.language for r in results} == {fixture_language(f) for f in fixture_files()}
        assert {r.rel_path: r.symbols for r in results} == sequential


def test_pending_keeps_workers_to_their_languages():
    from ragex.extract import ExtractionTask
    from ragex.supervisor import _Pending

    tasks = [ExtractionTask(f"{lang}{i}", language=lang, file_size=size)
             for lang, size, count in (("c", 100, 5), ("go", 50, 4), ("ruby", 10, 3))
             for i in range(count)]
    pending = _Pending(tasks)
    # an idle worker with nothing loaded takes the language of the biggest file
    assert pending.choose(set(), set())[0].language == "c"
    # a second worker takes a language nobody works on rather than loading C too
    assert pending.choose(set(), {"c"})[0].language == "go"
    # a worker that has loaded Ruby stays with it while Ruby files remain
    queue = pending.choose({"ruby"}, {"c", "go"})
    assert queue[0].language == "ruby"
    while queue:
        pending.pop(queue)
    # with Ruby done it takes a language no other worker is on, else shares one
    assert pending.choose({"ruby"}, {"c"})[0].language == "go"
    assert pending.choose({"ruby"}, {"c", "go"})[0].language == "c"
    # a file put back after a fault is the next of its language; nothing is lost
    first = pending.pop(pending.queues["go"])
    pending.put_back(first)
    assert pending.queues["go"][0] is first
    assert len(pending.tasks()) == pending.count == 9
