"""For any worker count and batch sizes, parallel output equals sequential, symbol for symbol."""

import os
import sysconfig

from hypothesis import HealthCheck, given, settings, strategies as st

from ragex.config import load_config
from ragex.extract import extract_file
from ragex.parallel import ParallelSymbolExtractor, make_tasks

ROOT = os.path.join(sysconfig.get_paths()["stdlib"], "json")
FILES = sorted(os.path.join(d, f) for d, _, fs in os.walk(ROOT) for f in fs if f.endswith(".py"))
FILES += sorted(os.path.join(sysconfig.get_paths()["stdlib"], f)
                for f in ("ast.py", "typing.py", "dataclasses.py", "argparse.py"))
BASE = os.path.dirname(ROOT)
SEQUENTIAL = {t.rel_path: extract_file(t).symbols for t in make_tasks(FILES, BASE)}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(workers=st.integers(1, 3), max_batch=st.integers(1, 9),
       target=st.sampled_from([0.01, 0.1, 1.0]))
def test_parallel_equals_sequential(workers, max_batch, target):
    config = load_config(environ={}, flags={"use_parallel": True, "max_workers": workers,
                                            "max_batch_size": max_batch,
                                            "target_batch_time": target})
    with ParallelSymbolExtractor(config) as extractor:
        got = {r.rel_path: r.symbols for r in extractor.iter_extract(make_tasks(FILES, BASE))}
    assert got == SEQUENTIAL
