"""A `ragex mcp` subprocess driven with raw bytes on its stdin (no SDK client in between),
for tests that send what no well-behaved client would."""

import json
import os
import queue
import subprocess
import sys
import threading
import time

INITIALIZE = {"jsonrpc": "2.0", "id": "init", "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                         "clientInfo": {"name": "raw-test", "version": "1"}}}


def line(message) -> bytes:
    return json.dumps(message).encode() + b"\n"


class RawServer:
    def __init__(self, root, *extra, stderr_path=None, env=None):
        self.stderr = open(stderr_path or os.devnull, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "ragex", "mcp", str(root), *extra],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr,
                                     env=None if env is None else {**os.environ, **env})
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._ids = iter(range(1000, 10**9))

    def _read(self) -> None:
        for raw in self.proc.stdout:
            self.lines.put(raw)
        self.lines.put(None)  # end of output

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def receive(self, timeout: float = 5.0):
        """The next message the server wrote, or None at end of output."""
        raw = self.lines.get(timeout=timeout)
        return None if raw is None else json.loads(raw)

    def request(self, method: str, params=None, timeout: float = 5.0) -> dict:
        request_id = next(self._ids)
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(line(message))
        answer = self.receive(timeout)
        assert answer is not None and answer.get("id") == request_id, answer
        return answer

    def initialize(self) -> dict:
        self.send(line(INITIALIZE))
        answer = self.receive(10.0)
        self.send(line({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        return answer

    def close_stdin_and_wait(self, timeout: float = 10.0) -> float:
        """Seconds from closing stdin to the process's exit."""
        started = time.monotonic()
        self.proc.stdin.close()
        self.proc.wait(timeout)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.stderr.close()
