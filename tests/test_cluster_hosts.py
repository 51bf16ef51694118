"""A cluster over several hosts: the client and the scheduler on one, two Dask workers on
two others, each in its own network namespace on a private subnet (`hosts`), and the
workers unable to see the client's tree (it is covered by an empty tmpfs in their mount
namespaces). ragex must notice, ship the files' content, and index exactly what a local
run indexes; the bytes travel over the hosts' links only.
"""

import json
import subprocess
import sys
import time

import pytest

import hosts
from test_cluster import build_tree, index_rows

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(hosts.available() is not None,
                                 reason=f"test hosts: {hosts.available()}")]


def _in(h, name, argv, timeout=300):
    return subprocess.run(h.command(name, argv), capture_output=True, text=True,
                          timeout=timeout)


def test_workers_on_other_hosts_get_the_content_over_the_private_subnet_only(tmp_path):
    tree = build_tree(tmp_path / "tree")
    local = subprocess.run([sys.executable, "-m", "ragex", "index", str(tree), "--index-dir",
                            str(tmp_path / "local")], capture_output=True, text=True)
    assert local.returncode == 0, local.stderr
    local_files, local_symbols = index_rows(tmp_path / "local")
    total_bytes = sum(row[1] for row in local_files)  # of the code files: what is sent
    with hosts.Hosts(["client", "w1", "w2"]) as h:
        client = h.address["client"]
        scheduler = f"tcp://{client}:8786"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        h.popen("client", [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                           client, "--port", "8786", "--dashboard-address", f"{client}:0"],
                **quiet)
        for worker in ("w1", "w2"):
            # --dashboard-address too: a worker's HTTP server (even with --no-dashboard)
            # listens on 0.0.0.0 unless told otherwise
            h.popen(worker, [sys.executable, "-m", "distributed.cli.dask_worker", scheduler,
                             "--host", h.address[worker], "--nthreads", "1", "--no-dashboard",
                             "--dashboard-address", f"{h.address[worker]}:0"],
                    hide=(str(tree),), **quiet)
        ready = _in(h, "client", [
            sys.executable, "-c", "from distributed import Client; "
            f"c = Client('{scheduler}', timeout=60); c.wait_for_workers(2, timeout=60); "
            "c.close()"])
        assert ready.returncode == 0, ready.stderr
        before = {w: h.traffic(w) for w in ("w1", "w2")}
        started = time.monotonic()
        run = _in(h, "client", [sys.executable, "-m", "ragex", "index", str(tree),
                                "--index-dir", str(tmp_path / "remote"), "--scheduler",
                                scheduler, "--json"])
        assert run.returncode == 0, run.stderr
        seconds = time.monotonic() - started
        received = sum(h.traffic(w)[0] - before[w][0] for w in ("w1", "w2"))
        listening = {name: h.listening(name) for name in h.names}
        routes = {name: h.routes(name) for name in h.names}
        # a worker really does not see the tree
        hidden = subprocess.run(h.command("w1", ["ls", "-A", str(tree)], hide=(str(tree),)),
                                capture_output=True, text=True)
    assert hidden.returncode == 0 and hidden.stdout == ""
    run_info = json.loads(run.stdout)["extraction"]
    assert run_info["files_mode"] == "content", run_info
    assert "2 of 2 Dask workers do not see the tree" in run_info["files_reason"]
    assert run_info["dask_workers"] == 2 and run_info["batches"] >= 2
    assert run_info["bytes_shipped"] == total_bytes
    assert received >= total_bytes  # the content crossed the workers' links
    for name, addresses in listening.items():
        assert addresses and all(a.startswith((h.prefix + ".", "127.0.0.1:", "[::1]:"))
                                 for a in addresses), (name, addresses)
    for name, table in routes.items():  # a subnet of their own, no way out
        assert table == [f"{h.prefix}.0/24 dev {h.veth[name]} proto kernel scope link "
                         f"src {h.address[name]}"], table
    assert index_rows(tmp_path / "remote") == (local_files, local_symbols)
    print(f"indexed {total_bytes} bytes on 2 namespaced workers in {seconds:.1f} s")
