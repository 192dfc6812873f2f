"""A small fault-injecting HTTP proxy on loopback, in front of a real server.

Each request is forwarded to the real server unless a scripted :class:`Fault` matches it:
then the proxy answers with an error status, resets the connection, delays the first
byte, stalls or trickles the stream, injects a malformed event, cuts the connection
mid-stream, rejects an option, or truncates the prompt it forwards (as Ollama does beyond
its window). With a server-side SSL context it also terminates TLS.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer", "upgrade"}


@dataclass
class Fault:
    """What to do to matching requests.

    kind: status | reset | slow | stall | ping_stall | trickle | malformed | cut |
          reject_option | truncate_prompt
    """

    kind: str
    status: int = 500
    body: bytes = b'{"error": {"message": "injected"}}'
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # slow: before the first byte; trickle: between data lines
    after: int = 0  # stall/cut/malformed: after this many data lines
    times: int = 1  # matching requests it applies to; 0: all of them
    path: str = "/v1/chat/completions"  # applies to paths starting with this ("" = every path)
    keep: int = 40  # truncate_prompt: characters of the last message that are forwarded


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    fault: str


class FaultProxy:
    """``with FaultProxy(upstream) as proxy: proxy.add(Fault("status", status=503)); ... proxy.url``."""

    def __init__(self, upstream: str, tls: ssl.SSLContext | None = None) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.tls = tls
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.in_flight = 0  # chat requests being answered now
        self.peak = 0  # the most chat requests answered at once
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fault-proxy")

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def add(self, *faults: Fault) -> FaultProxy:
        with self._lock:
            self.faults.extend(dataclasses.replace(f) for f in faults)  # copies: counting down leaves the caller's alone
        return self

    def chats(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith("/v1/chat/completions")]

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def refuse(self) -> None:
        """Stop listening: new connections are refused (the server is down)."""
        self._listener.close()

    def stop(self) -> None:
        self._stop.set()
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _close(conn)

    # -- serving -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        conn = raw
        with self._lock:
            self._conns.add(raw)
        try:
            if self.tls:
                conn = self.tls.wrap_socket(raw, server_side=True)
            request = _read_request(conn)
            if request is None:
                return
            method, path, headers, body = request
            if path.startswith(("http://", "https://")):  # absolute form: we are used as a forward proxy
                path = "/" + path.split("/", 3)[3]
            fault = self._match(path)
            chat = path.startswith("/v1/chat/completions")
            with self._lock:
                self.seen.append(Seen(method, path, body, fault.kind if fault else "pass"))
                self.in_flight += chat
                self.peak = max(self.peak, self.in_flight)
            try:
                self._answer(conn, method, path, headers, body, fault)
            finally:
                with self._lock:
                    self.in_flight -= chat
        except (OSError, ssl.SSLError, http.client.HTTPException):
            pass
        finally:
            with self._lock:
                self._conns.discard(raw)
            _close(conn)

    def _match(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if path.startswith(fault.path):
                    if fault.times == 1:
                        self.faults.remove(fault)
                    elif fault.times > 1:
                        fault.times -= 1
                    return fault
        return None

    def _answer(self, conn: socket.socket, method: str, path: str, headers: dict[str, str], body: bytes,
                fault: Fault | None) -> None:
        kind = fault.kind if fault else "pass"
        if fault and kind == "status":
            _send_simple(conn, fault.status, fault.body, fault.headers)
            return
        if kind == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST, not FIN
            return
        if fault and kind == "reject_option" and b"stream_options" in body:
            _send_simple(conn, 400, b'{"error": {"message": "Unrecognized request argument supplied: stream_options"}}', {})
            return
        if fault and kind == "truncate_prompt":
            body = _truncate_last_message(body, fault.keep)
        if fault and kind == "slow" and self._stop.wait(fault.delay):
            return
        self._forward(conn, method, path, headers, body, fault)

    def _forward(self, conn: socket.socket, method: str, path: str, headers: dict[str, str], body: bytes,
                 fault: Fault | None) -> None:
        up = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            sent = {k: v for k, v in headers.items() if k.lower() not in _HOP and k.lower() != "host"}
            up.request(method, path, body=body or None, headers=sent)
            resp = up.getresponse()
            out = [f"HTTP/1.1 {resp.status} {resp.reason}"]
            out += [f"{k}: {v}" for k, v in resp.getheaders() if k.lower() not in _HOP]
            if "text/event-stream" not in resp.getheader("content-type", ""):
                data = resp.read()
                conn.sendall(("\r\n".join([*out, f"Content-Length: {len(data)}", "Connection: close"]) + "\r\n\r\n").encode()
                             + data)
                return
            conn.sendall(("\r\n".join([*out, "Transfer-Encoding: chunked", "Connection: close"]) + "\r\n\r\n").encode())
            self._relay_events(conn, resp, fault)
        finally:
            up.close()

    def _relay_events(self, conn: socket.socket, resp: http.client.HTTPResponse, fault: Fault | None) -> None:
        kind = fault.kind if fault else "pass"
        data_lines = 0
        while not self._stop.is_set():
            line = resp.readline()
            if not line:
                break
            if line.startswith(b"data:"):
                if fault and data_lines == fault.after:
                    if kind == "cut":
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                        return
                    if kind in ("stall", "ping_stall"):
                        while not self._stop.wait(0.2):
                            if kind == "ping_stall":
                                _chunk(conn, b": ping\n\n")
                        return
                    if kind == "malformed":
                        _chunk(conn, b'data: {"choices": [{"delta": {"content": "x"\n\n')
                data_lines += 1
                if kind == "trickle" and fault and self._stop.wait(fault.delay):
                    return
            _chunk(conn, line)
        conn.sendall(b"0\r\n\r\n")


def _chunk(conn: socket.socket, data: bytes) -> None:
    conn.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _send_simple(conn: socket.socket, status: int, body: bytes, headers: dict[str, str]) -> None:
    head = [f"HTTP/1.1 {status} Injected", "Content-Type: application/json", f"Content-Length: {len(body)}",
            "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str], bytes] | None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        piece = conn.recv(65536)
        if not piece:
            return None
        buf += piece
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    while len(rest) < length:
        piece = conn.recv(65536)
        if not piece:
            return None
        rest += piece
    return method, path, headers, rest[:length]


def _truncate_last_message(body: bytes, keep: int) -> bytes:
    data = json.loads(body)
    data["messages"][-1]["content"] = data["messages"][-1]["content"][:keep]
    return json.dumps(data).encode()


def _close(conn: socket.socket) -> None:
    try:
        conn.close()
    except OSError:
        pass


def wait_until(predicate: object, timeout: float = 5.0) -> bool:
    """Poll ``predicate()`` until it is true or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if callable(predicate) and predicate():
            return True
        time.sleep(0.02)
    return False
