"""Worker processes for `advisory serve --workers N`, each on a socket of its own.

uvicorn's supervisor hands every worker one shared listening socket, and asyncio's loop takes
as many waiting connections as it can each time that socket wakes it: clients that connect at
once (a proxy's pool, a load test) all land on the first worker awake while the others idle.
Here each worker listens on its own socket bound to the same address with SO_REUSEPORT, and
the kernel spreads new connections across them. A worker that dies is started again on its
socket; SIGINT or SIGTERM stops them all.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

_SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter: no state forked mid-use


def listening_socket(host: str, port: int, shared: bool) -> socket.socket:
    """A TCP socket listening on host:port; `shared`: one of several on the same address.

    TCP_NODELAY is set on it so that the connections it accepts inherit it: uvicorn binds its
    socket without naming TCP, so asyncio would leave Nagle's algorithm on and every body
    would wait for the client's delayed acknowledgement of the headers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def serve_workers(config: uvicorn.Config, sockets: list[socket.socket]) -> None:
    """Run one worker process per socket until SIGINT or SIGTERM, restarting any that dies."""
    stop = threading.Event()

    def stopping(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, stopping) for s in (signal.SIGINT, signal.SIGTERM)}
    workers = [_start(config, sock) for sock in sockets]
    try:
        while not stop.wait(0.5):
            for index, worker in enumerate(workers):
                if not worker.is_alive() and not stop.is_set():
                    worker.join()
                    workers[index] = _start(config, sockets[index])
    finally:
        for worker in workers:
            worker.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.kill()
                worker.join()
        for signum, handler in previous.items():
            signal.signal(signum, _restorable(handler))


def _start(config: uvicorn.Config, sock: socket.socket) -> BaseProcess:
    worker = _SPAWN.Process(target=_work, args=(config, sock), daemon=False)
    worker.start()
    return worker


def _work(config: uvicorn.Config, sock: socket.socket) -> None:
    """One worker: uvicorn's server on its own socket."""
    uvicorn.Server(config).run(sockets=[sock])


def _restorable(handler: object) -> Callable[[int, FrameType | None], object] | int:
    return handler if callable(handler) or isinstance(handler, int) else signal.SIG_DFL
