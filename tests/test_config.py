"""ParallelConfig: detection, RAGEX_* overrides, flags, and clear errors."""

import pytest

from ragex.cli import main
from ragex.config import ConfigError, ParallelConfigManager, load_config


def test_detects_this_machine():
    info = ParallelConfigManager(environ={})._detect_system_capabilities()
    assert info["usable_cpus"] >= 1
    assert info["available_memory_mb"] > 0
    config = load_config(environ={})
    assert 1 <= config.max_workers <= info["usable_cpus"]
    assert config.sources["max_workers"].startswith("auto")


def test_environment_overrides_and_flags_win():
    env = {"RAGEX_MAX_WORKERS": "3", "RAGEX_TARGET_BATCH_TIME": "0.25",
           "RAGEX_USE_PARALLEL": "no", "RAGEX_WORKER_MEMORY_LIMIT_MB": "300"}
    config = load_config(environ=env, flags={"max_workers": "5"})
    assert config.max_workers == 5 and config.sources["max_workers"] == "flag --workers"
    assert config.target_batch_time == 0.25
    assert config.sources["target_batch_time"] == "env RAGEX_TARGET_BATCH_TIME"
    assert config.use_parallel is False
    assert config.worker_memory_limit_mb == 300


@pytest.mark.parametrize("var, value, words", [
    ("RAGEX_MAX_WORKERS", "zero", "whole number"),
    ("RAGEX_MAX_WORKERS", "0", "whole number"),
    ("RAGEX_USE_PARALLEL", "maybe", "true/false"),
    ("RAGEX_PROCESS_TIMEOUT_SECONDS", "-1", "number > 0"),
    ("RAGEX_TARGET_BATCH_TIME", "nan", "number > 0"),
])
def test_invalid_values_name_the_variable(var, value, words):
    with pytest.raises(ConfigError) as info:
        load_config(environ={var: value})
    assert var in str(info.value) and words in str(info.value)


def test_min_batch_above_max_is_an_error():
    with pytest.raises(ConfigError, match="larger than max batch size"):
        load_config(environ={"RAGEX_MIN_BATCH_SIZE": "10", "RAGEX_MAX_BATCH_SIZE": "4"})


def test_memory_budget_bounds_workers():
    config = load_config(environ={"RAGEX_MEMORY_LIMIT_MB": "256",
                                  "RAGEX_WORKER_MEMORY_LIMIT_MB": "256"})
    assert config.max_workers == 1


def test_few_files_skip_the_pool_but_not_the_protection():
    few = load_config(file_count=2, environ={})
    assert few.use_parallel is None and not few.should_parallelize(2)  # a one-off worker
    assert "one worker" in few.sources["use_parallel"]
    assert load_config(file_count=5000, environ={}).should_parallelize(5000)
    assert load_config(file_count=2, environ={"RAGEX_USE_PARALLEL": "true"}).use_parallel


def test_file_deadline_scales_and_is_capped():
    config = load_config(environ={"RAGEX_PROCESS_TIMEOUT_SECONDS": "30"})
    assert config.file_deadline(1000) < config.file_deadline(1_000_000) <= 30


def test_cli_config_prints_sources(capsys, monkeypatch):
    monkeypatch.setenv("RAGEX_MAX_BATCH_SIZE", "7")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "RAGEX_MAX_BATCH_SIZE" in out and "env RAGEX_MAX_BATCH_SIZE" in out


def test_cli_bad_value_is_usage_error(capsys, monkeypatch):
    monkeypatch.setenv("RAGEX_MAX_WORKERS", "lots")
    assert main(["config"]) == 2
    assert "RAGEX_MAX_WORKERS='lots' is invalid" in capsys.readouterr().err


def test_other_ragex_variables_are_validated_here(tmp_path):
    from ragex.config import index_dir_setting, start_method

    with pytest.raises(ConfigError, match="RAGEX_START_METHOD='threads' is invalid"):
        start_method({"RAGEX_START_METHOD": "threads"})
    assert start_method({"RAGEX_START_METHOD": "spawn"}) == "spawn"
    assert start_method({}) is None
    assert index_dir_setting({"RAGEX_INDEX_DIR": str(tmp_path / "i")}) == str(tmp_path / "i")
    assert index_dir_setting({"RAGEX_INDEX_DIR": "  "}) is None


def test_debug_variables_are_read_here():
    from ragex.config import broken_grammars, debug_environment, debug_faults

    assert debug_faults({}) == ""
    assert debug_faults({"RAGEX_DEBUG_FAULT": "crash:a.py"}) == "crash:a.py"
    assert broken_grammars({}) == frozenset()
    assert broken_grammars({"RAGEX_DEBUG_BREAK_GRAMMAR": "go,,rust"}) == {"go", "rust"}
    assert debug_environment({"RAGEX_DEBUG_FAULT": "hang:x.c"}) == {
        "RAGEX_DEBUG_FAULT": "hang:x.c", "RAGEX_DEBUG_BREAK_GRAMMAR": None}


def test_watch_settings_are_read_and_checked_here():
    from ragex.config import describe_watch, watch_settings

    assert watch_settings({}).debounce_ms == 50 and watch_settings({}).polling is False
    env = {"RAGEX_WATCH_POLLING": "on", "RAGEX_WATCH_POLL_SECONDS": "0.5",
           "RAGEX_WATCH_DEBOUNCE_MS": "20", "RAGEX_WATCH_RECONCILE_SECONDS": "60"}
    settings = watch_settings(env)
    assert (settings.polling, settings.poll_seconds, settings.debounce_ms,
            settings.reconcile_seconds) == (True, 0.5, 20, 60.0)
    rows = {variable: (value, source) for variable, _, value, source in describe_watch(env)}
    assert rows["RAGEX_WATCH_POLL_SECONDS"] == (0.5, "env RAGEX_WATCH_POLL_SECONDS")
    for variable, bad in (("RAGEX_WATCH_DEBOUNCE_MS", "0"), ("RAGEX_WATCH_POLL_SECONDS", "-1"),
                          ("RAGEX_WATCH_POLLING", "maybe")):
        with pytest.raises(ConfigError, match=f"{variable}='{bad}' is invalid"):
            watch_settings({variable: bad})
