"""A loopback TCP proxy for fault tests: put it between a process and a server, then cut the line (every
connection closed, new ones refused, like a stopped server) or pause it (connections stay open and nothing
is answered, like a SIGSTOPped server), and restore it. The shared server itself is never touched."""

from __future__ import annotations

import socket
import threading


class TcpProxy:
    def __init__(self, target: tuple[str, int], *, host: str = "127.0.0.1") -> None:
        self.target, self.host = target, host
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._flowing = threading.Event()
        self._flowing.set()
        self.accepted = 0

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def start(self) -> TcpProxy:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        """Refuse new connections and reset the open ones."""
        if self._listener is not None:
            _close(self._listener)  # shutdown wakes the accepting thread; close alone may not
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            _close(conn)

    def pause(self) -> None:
        """Stop passing bytes either way; connections stay open and new ones are accepted but not served."""
        self._flowing.clear()

    def restore(self) -> None:
        self._flowing.set()
        if self._listener is None:
            self.start()

    def stop(self) -> None:
        self._flowing.set()
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while listener is self._listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # cut: the listener was closed
            if listener is not self._listener:
                _close(client)
                return
            client.settimeout(None)
            self.accepted += 1
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._conns += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                self._flowing.wait()  # paused: hold the bytes, as a stopped server would
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
