"""ParallelConfig: how many workers, how big the batches, how much memory and time.

All `RAGEX_*` variables and their CLI flags are read and validated here, and nowhere else
(the one exception: the `action:glob` syntax of RAGEX_DEBUG_FAULT is checked by `faults`).
`ParallelConfigManager` detects the machine (CPU affinity, cgroup v1/v2 CPU quota and
memory limit, available RAM, containers) and derives the defaults; an environment
variable overrides a detected value and a CLI flag overrides both. Each effective value
remembers where it came from (`ragex config` prints them).

Not for: running anything (see `parallel`).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


class ConfigError(ValueError):
    """A setting has a value ragex cannot use; the message names it and what it accepts."""


def _parse_bool(text: str) -> Optional[bool]:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("auto", ""):
        return None
    raise ValueError("accepts true/false, 1/0, yes/no, on/off or auto")


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("accepts true/false, 1/0, yes/no or on/off")


def _positive_int(text: str) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValueError("accepts a whole number ≥ 1") from None
    if value < 1:
        raise ValueError("accepts a whole number ≥ 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise ValueError("accepts a number > 0 (seconds)") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError("accepts a number > 0 (seconds)")
    return value


_SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ws|wss)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d{1,5}/?")


def _scheduler(text: str) -> str:
    value = text.strip()
    if _SCHEDULER_ADDRESS.fullmatch(value):
        return value.rstrip("/")
    if "://" not in value and _SCHEDULER_ADDRESS.fullmatch("tcp://" + value):
        return "tcp://" + value.rstrip("/")  # HOST:PORT, as Dask's own Client takes it
    path = os.path.abspath(os.path.expanduser(value))
    if "://" not in value and (value.endswith(".json") or os.path.isfile(path)):
        return path  # a scheduler file (`dask scheduler --scheduler-file`), read at connect
    raise ValueError("accepts a Dask scheduler address tcp://HOST:PORT (or HOST:PORT, "
                     "tls://, ws://, wss://), or the path of a scheduler file (*.json)")


def _local_cluster(text: str) -> str:
    match = re.fullmatch(r"local:(\d+)", text.strip().lower())
    if match is None or int(match.group(1)) < 1:
        raise ValueError("accepts local:N, N ≥ 1 Dask worker processes started on this "
                         "machine for the run")
    return f"local:{int(match.group(1))}"


CLUSTER_FILES = ("auto", "paths", "content")


def _cluster_files(text: str) -> str:
    value = text.strip().lower()
    if value not in CLUSTER_FILES:
        raise ValueError(f"accepts {', '.join(CLUSTER_FILES)}")
    return value


@dataclass(frozen=True)
class Setting:
    name: str  # field of ParallelConfig
    env: str
    flag: str
    parse: Callable[[str], Any]
    help: str
    unset: str = "auto"  # what the setting's None means, as `ragex config` shows it


SETTINGS: tuple[Setting, ...] = (
    Setting("use_parallel", "RAGEX_USE_PARALLEL", "--parallel", _parse_bool,
            "use worker processes: true, false or auto (auto: parallel unless few files)"),
    Setting("max_workers", "RAGEX_MAX_WORKERS", "--workers", _positive_int,
            "number of worker processes (default: usable CPUs, bounded by memory)"),
    Setting("min_batch_size", "RAGEX_MIN_BATCH_SIZE", "--min-batch-size", _positive_int,
            "fewest files in a batch sent to a worker"),
    Setting("max_batch_size", "RAGEX_MAX_BATCH_SIZE", "--max-batch-size", _positive_int,
            "most files in a batch sent to a worker"),
    Setting("target_batch_time", "RAGEX_TARGET_BATCH_TIME", "--target-batch-time",
            _positive_float, "seconds of work a batch should hold (estimated from bytes)"),
    Setting("memory_limit_mb", "RAGEX_MEMORY_LIMIT_MB", "--memory-limit-mb", _positive_int,
            "total memory budget for all workers, in MiB (bounds the worker count)"),
    Setting("worker_memory_limit_mb", "RAGEX_WORKER_MEMORY_LIMIT_MB", "--worker-memory-limit-mb",
            _positive_int, "a worker above this RSS (MiB) is recycled and its file isolated"),
    Setting("process_timeout_seconds", "RAGEX_PROCESS_TIMEOUT_SECONDS", "--timeout",
            _positive_float, "cap on the per-file deadline (scaled by size) before a worker is killed"),
    Setting("max_file_bytes", "RAGEX_MAX_FILE_BYTES", "--max-file-bytes", _positive_int,
            "files larger than this are skipped as too large"),
    # The executor: the local pool, or a Dask cluster (`cluster`; needs ragex[dask])
    Setting("scheduler", "RAGEX_SCHEDULER", "--scheduler", _scheduler,
            "extract on the workers of a running Dask scheduler: tcp://HOST:PORT, or its "
            "scheduler file (*.json); needs pip install 'ragex[dask]'", unset="none"),
    Setting("cluster", "RAGEX_CLUSTER", "--cluster", _local_cluster,
            "local:N: extract on a Dask cluster of N worker processes started on this "
            "machine for the run, on 127.0.0.1; needs pip install 'ragex[dask]'",
            unset="none"),
    Setting("cluster_files", "RAGEX_CLUSTER_FILES", "--cluster-files", _cluster_files,
            "how Dask workers get the files: paths (the tree is mounted at the same path "
            "on every worker), content (read here and sent, hash checked), or auto (paths "
            "when every worker sees the tree)"),
    Setting("references", "RAGEX_REFERENCES", "--references", _on_off,
            "extract and store references (calls, types, imports, ...) for refs, callers "
            "and callees: true (default) or false"),
)
BY_FIELD = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class ParallelConfig:
    use_parallel: Optional[bool] = None  # None: decided by file count
    max_workers: int = 2
    min_batch_size: int = 1
    max_batch_size: int = 64
    target_batch_time: float = 0.5
    memory_limit_mb: int = 4096
    worker_memory_limit_mb: int = 512
    process_timeout_seconds: float = 60.0
    max_file_bytes: int = 4 * 1024 * 1024
    scheduler: Optional[str] = None  # a Dask scheduler's address or scheduler file
    cluster: Optional[str] = None  # "local:N": a loopback Dask cluster for the run
    cluster_files: str = "auto"  # how Dask workers get the files (CLUSTER_FILES)
    references: bool = True  # extract references (docs/references.md)
    # auto mode: fewer files than this get one worker of their own (forked on demand, as
    # protected as in the pool) unless the pool is already running
    pool_from_files: int = 24
    max_failures: int = 8  # worker deaths before degrading to one isolating worker
    sources: dict = field(default_factory=dict, compare=False)
    system: dict = field(default_factory=dict, compare=False)

    def should_parallelize(self, file_count: int) -> bool:
        if self.use_parallel is not None:
            return self.use_parallel and self.max_workers >= 1
        return file_count >= self.pool_from_files

    def file_deadline(self, size: int) -> float:
        """Seconds one file may take: a base plus a generous size-scaled term, capped."""
        return min(self.process_timeout_seconds, 10.0 + size / 50_000)

    @property
    def on_cluster(self) -> bool:
        """Extraction runs on a Dask cluster (see `cluster`), not the local pool."""
        return bool(self.scheduler or self.cluster)

    @property
    def executor(self) -> str:
        """Where extraction runs, in words (`ragex config`)."""
        if self.scheduler:
            return (f"Dask cluster at {self.scheduler} (files: {self.cluster_files}; "
                    "each Dask worker runs a supervised ragex pool)")
        if self.cluster:
            count = self.cluster.split(":")[1]
            return (f"Dask cluster of {count} worker processes started for the run on "
                    f"127.0.0.1 (files: {self.cluster_files})")
        if self.use_parallel is False:
            return "in-process, sequential"
        return f"local pool of {self.max_workers} worker processes"

    def describe(self) -> list[tuple[str, str, Any, str]]:
        """(variable, flag, value, source) for every setting."""
        return [(s.env, s.flag, getattr(self, s.name), self.sources.get(s.name, "default"))
                for s in SETTINGS]


def _read_int_file(path: str) -> Optional[int]:
    try:
        with open(path) as fh:
            text = fh.read().strip()
    except OSError:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _cgroup_cpu_limit() -> Optional[float]:
    try:
        with open("/sys/fs/cgroup/cpu.max") as fh:  # cgroup v2: "max 100000" or "200000 100000"
            quota, period = fh.read().split()[:2]
        if quota != "max":
            return int(quota) / int(period)
        return None
    except (OSError, ValueError):
        pass
    quota = _read_int_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")  # cgroup v1
    period = _read_int_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
    if quota and period and quota > 0:
        return quota / period
    return None


def _cgroup_memory_limit() -> Optional[int]:
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        value = _read_int_file(path)
        if value is not None and 0 < value < (1 << 60):
            return value
    return None


def _in_container() -> Optional[str]:
    if os.path.exists("/.dockerenv"):
        return "docker"
    if os.path.exists("/run/.containerenv"):
        return "podman"
    if os.environ.get("KUBERNETES_SERVICE_HOST"):
        return "kubernetes"
    try:
        with open("/proc/1/cgroup") as fh:
            text = fh.read()
        for marker in ("docker", "kubepods", "containerd", "lxc"):
            if marker in text:
                return marker
    except OSError:
        pass
    return None


class ParallelConfigManager:
    """Detects the machine and builds the effective `ParallelConfig`."""

    def __init__(self, environ: Optional[dict] = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _detect_system_capabilities(self) -> dict:
        try:
            affinity = len(os.sched_getaffinity(0))
        except AttributeError:
            affinity = os.cpu_count() or 1
        quota = _cgroup_cpu_limit()
        cpus = affinity if quota is None else max(1, min(affinity, math.ceil(quota)))
        # imported here, not at the top: `import ragex` reads the debug variables below
        # through this module, and psutil would add a third to its import time
        import psutil

        available = psutil.virtual_memory().available
        cgroup_mem = _cgroup_memory_limit()
        if cgroup_mem is not None:
            available = min(available, cgroup_mem)
        return {
            "cpu_count": os.cpu_count() or 1,
            "cpu_affinity": affinity,
            "cpu_quota": quota,
            "usable_cpus": cpus,
            "available_memory_mb": available // (1024 * 1024),
            "cgroup_memory_limit_mb": None if cgroup_mem is None else cgroup_mem // (1024 * 1024),
            "container": _in_container(),
        }

    def _calculate_optimal_workers(self, info: dict, worker_limit_mb: int,
                                   budget_mb: int) -> int:
        # Every usable CPU gets a worker: the main process only stores results. Memory
        # bounds the count so the workers' limits fit in the budget.
        by_memory = max(1, budget_mb // max(1, worker_limit_mb))
        return max(1, min(info["usable_cpus"], by_memory, 32))

    def _calculate_batch_sizes(self, info: dict, max_workers: int) -> tuple[int, int]:
        # Batches of up to 64 files keep IPC overhead low (FACTS: 16-64 is the sweet spot);
        # the target batch time, not this cap, usually decides the size.
        return 1, 64

    def get_optimal_config(self, file_count: Optional[int] = None,
                           flags: Optional[dict] = None) -> ParallelConfig:
        """The effective configuration: detected < RAGEX_* environment < CLI flags."""
        info = self._detect_system_capabilities()
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for setting in SETTINGS:
            raw = self.environ.get(setting.env)
            if raw is not None and raw.strip() != "":
                values[setting.name] = _parse(setting, raw, setting.env)
                sources[setting.name] = f"env {setting.env}"
        for name, raw in (flags or {}).items():
            if raw is None:
                continue
            setting = BY_FIELD[name]
            values[name] = raw if not isinstance(raw, str) else _parse(setting, raw, setting.flag)
            sources[name] = f"flag {setting.flag}"

        budget = values.get("memory_limit_mb")
        if budget is None:
            budget = max(256, int(info["available_memory_mb"] * 0.5))
            sources["memory_limit_mb"] = (f"auto: half of {info['available_memory_mb']} MiB "
                                          "available")
        worker_limit = values.get("worker_memory_limit_mb")
        if worker_limit is None:
            worker_limit = max(128, min(512, budget // max(1, info["usable_cpus"])))
            sources["worker_memory_limit_mb"] = "auto: budget per CPU, at most 512"
        workers = values.get("max_workers")
        if workers is None:
            workers = self._calculate_optimal_workers(info, worker_limit, budget)
            sources["max_workers"] = (f"auto: {info['usable_cpus']} usable CPUs"
                                      + (f" (cgroup quota {info['cpu_quota']:g})"
                                         if info["cpu_quota"] else ""))
        min_batch, max_batch = self._calculate_batch_sizes(info, workers)
        values.setdefault("min_batch_size", min_batch)
        values.setdefault("max_batch_size", max_batch)
        if values["min_batch_size"] > values["max_batch_size"]:
            raise ConfigError(
                f"min batch size {values['min_batch_size']} "
                f"({sources.get('min_batch_size', 'default')}) is larger than max batch size "
                f"{values['max_batch_size']} ({sources.get('max_batch_size', 'default')})")
        values["memory_limit_mb"] = budget
        values["worker_memory_limit_mb"] = worker_limit
        values["max_workers"] = workers
        _check_executor(values, sources)
        config = ParallelConfig(**values, sources=sources, system=info)
        if file_count is not None and config.use_parallel is None \
                and file_count < config.pool_from_files:
            config.sources["use_parallel"] = (f"auto: only {file_count} files, one worker "
                                              "of their own")
        return config


def _where(name: str, sources: dict) -> str:
    """How the user gave a setting, for an error message: `--flag VALUE` or `VARIABLE`."""
    source = sources.get(name, "")
    return source.split(" ", 1)[1] if " " in source else BY_FIELD[name].flag


def _check_executor(values: dict, sources: dict) -> None:
    """A Dask executor is given once, not with --parallel false, and Dask is installed."""
    chosen = [name for name in ("scheduler", "cluster") if values.get(name)]
    if len(chosen) == 2:
        raise ConfigError(f"{_where('scheduler', sources)} and {_where('cluster', sources)} "
                          "both choose a Dask cluster: give one of them")
    if not chosen:
        return
    where = _where(chosen[0], sources)
    if values.get("use_parallel") is False:
        raise ConfigError(f"{where} runs extraction on a Dask cluster, but "
                          f"{_where('use_parallel', sources)} is false (in-process): drop one")
    if dask_missing():
        raise ConfigError(f"{where} needs Dask distributed, which is not installed: "
                          "pip install 'ragex[dask]'")


def dask_missing() -> bool:
    """Dask distributed cannot be imported here (checked without importing it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("distributed") is None
    except (ImportError, ValueError):
        return True


def _parse(setting: Setting, raw: str, where: str) -> Any:
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{where}={raw!r} is invalid: {setting.name.replace('_', ' ')} "
                          f"{exc}") from None


def load_config(file_count: Optional[int] = None, flags: Optional[dict] = None,
                environ: Optional[dict] = None) -> ParallelConfig:
    return ParallelConfigManager(environ).get_optimal_config(file_count, flags)



# Settings that are not about parallelism, read here too so every RAGEX_* variable is
# validated in one place.
START_METHODS = ("forkserver", "spawn", "fork")


def start_method(environ: Optional[dict] = None) -> Optional[str]:
    """RAGEX_START_METHOD, or None for the platform's safe default."""
    raw = (os.environ if environ is None else environ).get("RAGEX_START_METHOD", "").strip()
    if raw and raw not in START_METHODS:
        raise ConfigError(f"RAGEX_START_METHOD={raw!r} is invalid: start method accepts "
                          f"{', '.join(START_METHODS)}")
    return raw or None


def index_dir_setting(environ: Optional[dict] = None) -> Optional[str]:
    """RAGEX_INDEX_DIR as an absolute path, or None when unset."""
    raw = (os.environ if environ is None else environ).get("RAGEX_INDEX_DIR", "").strip()
    return os.path.abspath(os.path.expanduser(raw)) if raw else None


EMBED_DEVICES = ("auto", "cpu", "cuda")


def embed_device_setting(environ: Optional[dict] = None) -> str:
    """RAGEX_EMBED_DEVICE: where the vector tier's model runs (auto: CUDA when ONNX
    Runtime has it, else the CPU)."""
    raw = (os.environ if environ is None else environ).get("RAGEX_EMBED_DEVICE", "")
    value = raw.strip().lower() or "auto"
    if value not in EMBED_DEVICES:
        raise ConfigError(f"RAGEX_EMBED_DEVICE={raw!r} is invalid: embedding device accepts "
                          f"{', '.join(EMBED_DEVICES)}")
    return value


def background_embedding(environ: Optional[dict] = None) -> bool:
    """RAGEX_EMBED_IN_BACKGROUND: whether the MCP server embeds definitions after each
    index run when the ragex[semantic] extra is installed (default true)."""
    raw = (os.environ if environ is None else environ).get("RAGEX_EMBED_IN_BACKGROUND", "")
    try:
        value = _parse_bool(raw)
    except ValueError as exc:
        raise ConfigError(f"RAGEX_EMBED_IN_BACKGROUND={raw!r} is invalid: {exc}") from None
    return value is not False


BACKGROUND_EMBED_MAX = 100_000


def background_embedding_limit(environ: Optional[dict] = None) -> int:
    """RAGEX_EMBED_BACKGROUND_MAX: the most definitions the MCP server's background pass
    embeds at once (default 100,000: about ten minutes of two cores); an index with more
    left to embed is left to `ragex embed`, and `index_status` says so."""
    raw = (os.environ if environ is None else environ).get("RAGEX_EMBED_BACKGROUND_MAX", "")
    if not raw.strip():
        return BACKGROUND_EMBED_MAX
    try:
        value = int(raw)
        if value < 0:
            raise ValueError
    except ValueError:
        raise ConfigError(f"RAGEX_EMBED_BACKGROUND_MAX={raw!r} is invalid: give a whole "
                          "number of definitions, 0 or more") from None
    return value


# Debug variables for tests: read here like every RAGEX_* variable, acted on elsewhere
# (`faults` injects RAGEX_DEBUG_FAULT, `parser_pool` honours RAGEX_DEBUG_BREAK_GRAMMAR).
DEBUG_FAULT_VARIABLE = "RAGEX_DEBUG_FAULT"
BREAK_GRAMMAR_VARIABLE = "RAGEX_DEBUG_BREAK_GRAMMAR"
# Sent to the workers with every batch: a test sets them after the pool has started.
DEBUG_VARIABLES = (DEBUG_FAULT_VARIABLE, BREAK_GRAMMAR_VARIABLE)


def debug_faults(environ: Optional[dict] = None) -> str:
    """RAGEX_DEBUG_FAULT as written ("" when unset); `faults` checks its syntax.

    Read once per extracted file: kept to one mapping lookup when unset.
    """
    return (os.environ if environ is None else environ).get(DEBUG_FAULT_VARIABLE) or ""


def broken_grammars(environ: Optional[dict] = None) -> frozenset[str]:
    """Languages named in RAGEX_DEBUG_BREAK_GRAMMAR (comma-separated) whose grammar must
    fail to load, so tests see the other languages go on."""
    raw = (os.environ if environ is None else environ).get(BREAK_GRAMMAR_VARIABLE, "")
    return frozenset(name for name in raw.split(",") if name)


def debug_environment(environ: Optional[dict] = None) -> dict[str, Optional[str]]:
    """The debug variables as a worker should see them (None: unset there too)."""
    source = os.environ if environ is None else environ
    return {name: source.get(name) for name in DEBUG_VARIABLES}


# Watching (`ragex watch`, `ragex mcp`): read here like every RAGEX_* variable.
@dataclass(frozen=True)
class WatchSettings:
    debounce_ms: int = 50  # quiet time after an event before an update starts
    max_batch_ms: int = 1000  # a stream of events is cut into updates at least this often
    reconcile_seconds: float = 300.0  # a whole-tree check this often, events or not
    polling: bool = False  # poll instead of file-system events (network file systems)
    poll_seconds: float = 2.0  # polling: the least time between two whole-tree checks
    pool_idle_seconds: float = 300.0  # the worker pool stops after this long without work


WATCH_VARIABLES = {
    "RAGEX_WATCH_DEBOUNCE_MS": ("debounce_ms", _positive_int, "debounce"),
    "RAGEX_WATCH_RECONCILE_SECONDS": ("reconcile_seconds", _positive_float,
                                      "reconcile interval"),
    "RAGEX_WATCH_POLLING": ("polling", _parse_bool, "polling"),
    "RAGEX_WATCH_POLL_SECONDS": ("poll_seconds", _positive_float, "poll interval"),
}


def describe_watch(environ: Optional[dict] = None) -> list[tuple[str, str, Any, str]]:
    """(variable, flag, value, source) for each RAGEX_WATCH_* variable (`ragex config`)."""
    source = os.environ if environ is None else environ
    settings = watch_settings(environ)
    return [(variable, "-", getattr(settings, name),
             f"env {variable}" if source.get(variable, "").strip() else "default")
            for variable, (name, _, _) in WATCH_VARIABLES.items()]


def watch_settings(environ: Optional[dict] = None) -> WatchSettings:
    """The watcher's settings from RAGEX_WATCH_* (ConfigError naming a bad one)."""
    source = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for variable, (name, parse, label) in WATCH_VARIABLES.items():
        raw = source.get(variable, "").strip()
        if not raw:
            continue
        try:
            value = parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{variable}={raw!r} is invalid: {label} {exc}") from None
        if value is not None:
            values[name] = value
    return WatchSettings(**values)
