"""The network guard: only loopback, local sockets and what HKPilot was pointed at; nothing under network = "none"."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from hkpilot import net_guard
from hkpilot.cli import main
from hkpilot.errors import NetworkRefused

UNLISTED = "192.0.2.7"  # TEST-NET-1: never routed; the guard must refuse before any packet
LISTED = "198.51.100.9"  # TEST-NET-2


@pytest.fixture(autouse=True)
def _guard() -> Iterator[None]:
    net_guard.reset()
    yield
    net_guard.reset()


def _connect(host: str, port: int = 9) -> None:
    with socket.create_connection((host, port), timeout=0.05):
        pass


def _allowed(host: str) -> bool:
    """True when the guard let the attempt reach the OS (whatever the OS then made of it)."""
    try:
        _connect(host)
    except NetworkRefused:
        return False
    except OSError:
        pass
    return True


def test_none_refuses_everything_but_loopback_and_local_sockets() -> None:
    net_guard.configure(net_guard.NONE)
    with pytest.raises(NetworkRefused) as refused:
        _connect(UNLISTED)
    assert refused.value.exit_code == 5 and UNLISTED in refused.value.render()
    with pytest.raises(NetworkRefused):
        socket.getaddrinfo("telemetry.example.com", 443)  # refused before any DNS query
    with pytest.raises(NetworkRefused):
        net_guard.allow_url("https://llm.dept.example/v1")  # a server cannot even be registered
    with pytest.raises(NetworkRefused):
        net_guard.require_network("pip")
    a, b = socket.socketpair()  # AF_UNIX
    a.sendall(b"x")
    assert b.recv(1) == b"x"
    a.close(), b.close()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        _connect("127.0.0.1", server.getsockname()[1])
        _connect("localhost", server.getsockname()[1])
    net_guard.allow_url("http://127.0.0.1:8080")  # a loopback server is fine


def test_default_allows_only_registered_hosts() -> None:
    net_guard.configure(net_guard.SERVER)
    with pytest.raises(NetworkRefused):
        _connect(UNLISTED)
    net_guard.allow_url(f"http://{LISTED}:8000/v1")
    assert _allowed(LISTED)
    assert not _allowed(UNLISTED)  # still refused: registering one host opens no other


def test_proxy_is_registered_with_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from hkpilot.engines.http_client import ServerConfig, build_client

    net_guard.configure(net_guard.SERVER)
    monkeypatch.setenv("HTTPS_PROXY", f"http://{UNLISTED}:3128")
    build_client(ServerConfig(url=f"https://{LISTED}/v1"), None).close()  # system proxy: from the environment
    assert _allowed(LISTED) and _allowed(UNLISTED)
    net_guard.reset()
    net_guard.configure(net_guard.SERVER)
    build_client(ServerConfig(url=f"https://{LISTED}/v1", proxy="direct"), None).close()
    assert not _allowed(UNLISTED)  # "direct": the environment's proxy is not used, so not allowed


def test_any_switches_the_check_off() -> None:
    net_guard.configure(net_guard.ANY)
    assert _allowed(UNLISTED)


def test_remote_engine_refused_under_network_none(monkeypatch: pytest.MonkeyPatch) -> None:
    from hkpilot.engines.remote import RemoteEngine

    net_guard.configure(net_guard.NONE)
    with pytest.raises(NetworkRefused):
        RemoteEngine("https://llm.dept.example/v1", model="m")


def test_cli_update_check_refused_by_policy(_temp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (_temp_home / "policy.toml").write_text(f'network = "none"\n"update.url" = "https://{UNLISTED}/latest.json"\n',
                                            encoding="utf-8")
    assert main(["check-update"]) == 5
    err = capsys.readouterr().err
    assert "no network connection" in err and UNLISTED in err


def test_cli_installs_the_guard_from_policy(_temp_home: Path) -> None:
    (_temp_home / "policy.toml").write_text('network = "none"\n', encoding="utf-8")
    main(["models", "list"])
    assert net_guard.mode() == net_guard.NONE
    with pytest.raises(NetworkRefused):
        _connect(UNLISTED)
    (_temp_home / "policy.toml").write_text('network = "bogus"\n', encoding="utf-8")
    main(["models", "list"])
    assert net_guard.mode() == net_guard.NONE  # a value not understood fails closed


def test_pip_download_refused_offline() -> None:
    from hkpilot.engines import catalogue

    net_guard.configure(net_guard.NONE)
    with pytest.raises(NetworkRefused):
        catalogue.download_wheels(catalogue.STARTER, Path("/nonexistent"))
