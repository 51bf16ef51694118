"""Test hosts on this machine: network namespaces on a private subnet, as root.

`Hosts(["client", "w1", "w2"])` creates one network namespace per name, each with a veth
pair whose other end sits on a bridge inside a hub namespace of its own, addresses
10.231.N.1, .2, ... on a /24, and no route anywhere else: processes started in them reach
each other and nothing outside (the machine's own interfaces are never part of it).
`popen(name, argv, hide=[dir])` starts a process in a host, in a mount namespace of its
own where each hidden directory is covered by an empty tmpfs: a worker "on another
machine" that does not see the client's tree. Everything is removed on exit (the
namespaces, with their interfaces; the processes started, by their own ids).

Used by the cluster tests and `benchmarks/bench_cluster.py --netns`. Not for: anything a
user runs (ragex itself never creates namespaces).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Optional

import psutil


def available() -> Optional[str]:
    """None when hosts can be made here, else why not."""
    if os.geteuid() != 0:
        return "needs root (network namespaces)"
    for tool in ("ip", "unshare", "mount"):
        if shutil.which(tool) is None:
            return f"needs the `{tool}` command"
    return None


def _ip(*args: str) -> str:
    return subprocess.run(["ip", *args], check=True, capture_output=True, text=True).stdout


class Hosts:
    def __init__(self, names: list[str], subnet: int = 231) -> None:
        tag = os.getpid() % 100000
        self.names = list(names)
        self.prefix = f"10.{subnet}.{tag % 250 + 1}"
        self.netns = {name: f"rgx{tag}-{name}" for name in names}
        self.hub = f"rgx{tag}-hub"
        self.veth = {name: f"rgx{tag}v{i}" for i, name in enumerate(names)}  # ≤ 15 chars
        self.address = {name: f"{self.prefix}.{i + 1}" for i, name in enumerate(names)}
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "Hosts":
        try:
            _ip("netns", "add", self.hub)
            self.run_in_hub("ip", "link", "add", "br0", "type", "bridge")
            self.run_in_hub("ip", "link", "set", "br0", "up")
            for name in self.names:
                ns, veth = self.netns[name], self.veth[name]
                _ip("netns", "add", ns)
                _ip("link", "add", veth, "netns", ns, "type", "veth", "peer", "name",
                    veth + "h", "netns", self.hub)
                self.run_in_hub("ip", "link", "set", veth + "h", "master", "br0", "up")
                self.run(name, "ip", "addr", "add", f"{self.address[name]}/24", "dev", veth)
                self.run(name, "ip", "link", "set", veth, "up")
                self.run(name, "ip", "link", "set", "lo", "up")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for proc in self.processes:
            stop_tree(proc)
        for ns in [*self.netns.values(), self.hub]:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def run(self, name: str, *argv: str) -> str:
        return subprocess.run(["ip", "netns", "exec", self.netns[name], *argv], check=True,
                              capture_output=True, text=True).stdout

    def run_in_hub(self, *argv: str) -> str:
        return subprocess.run(["ip", "netns", "exec", self.hub, *argv], check=True,
                              capture_output=True, text=True).stdout

    def command(self, name: str, argv: list[str], hide: tuple = ()) -> list[str]:
        """`argv` as run in host `name`, with the directories `hide` covered."""
        if not hide:
            return ["ip", "netns", "exec", self.netns[name], *argv]
        mounts = " && ".join(f"mount -t tmpfs ragex-hidden '{d}'" for d in hide)
        return ["ip", "netns", "exec", self.netns[name], "unshare", "--mount",
                "--propagation", "private", "sh", "-c", f'{mounts} && exec "$@"', "sh", *argv]

    def popen(self, name: str, argv: list[str], hide: tuple = (), **kwargs
              ) -> subprocess.Popen:
        proc = subprocess.Popen(self.command(name, argv, hide), **kwargs)
        self.processes.append(proc)
        return proc

    def traffic(self, name: str) -> tuple[int, int]:
        """(bytes received, bytes sent) on host `name`'s link to the others."""
        base = f"/sys/class/net/{self.veth[name]}/statistics"
        rx = int(self.run(name, "cat", f"{base}/rx_bytes"))
        tx = int(self.run(name, "cat", f"{base}/tx_bytes"))
        return rx, tx

    def listening(self, name: str) -> list[str]:
        """Local addresses of the TCP sockets listening in host `name`."""
        out = self.run(name, "ss", "-ltnH")
        return [line.split()[3] for line in out.splitlines() if line.strip()]

    def routes(self, name: str) -> list[str]:
        return [r.strip() for r in self.run(name, "ip", "route").splitlines() if r.strip()]


def stop_tree(proc: subprocess.Popen) -> None:
    """Kill a process started here and everything below it, by their ids."""
    try:
        family = [psutil.Process(proc.pid)]
        family += family[0].children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for p in family:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
