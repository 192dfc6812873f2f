"""Proxies: the system's proxy variables by default, a proxy from settings/policy, or none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.engines.remote import RemoteEngine
from hkpilot.errors import ServerUnreachable
from tests.conftest import free_port
from tests.integration.fault_proxy import FaultProxy

pytestmark = pytest.mark.server


@pytest.fixture
def forward(llama_server: str) -> Iterator[FaultProxy]:
    with FaultProxy(llama_server) as proxy:  # also answers absolute-form requests, as a forward proxy does
        yield proxy


def _say(engine: RemoteEngine) -> str:
    return "".join(engine.stream([{"role": "user", "content": "Say OK."}], GenParams(max_tokens=3), CancelToken()))


def test_proxy_from_settings(llama_server: str, forward: FaultProxy) -> None:
    assert _say(RemoteEngine(llama_server, model="starter", api_key="", proxy=forward.url)).strip()
    assert len(forward.chats()) == 1


def test_system_proxy_variables_are_honoured(llama_server: str, forward: FaultProxy,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, forward.url)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert _say(RemoteEngine(llama_server, model="starter", api_key="")).strip()
    assert len(forward.chats()) == 1
    assert _say(RemoteEngine(llama_server, model="starter", api_key="", proxy="direct")).strip()
    assert len(forward.chats()) == 1  # "direct" went around the proxy


def test_unreachable_proxy_is_a_clear_error(llama_server: str) -> None:
    with pytest.raises(ServerUnreachable):
        RemoteEngine(llama_server, model="starter", api_key="", proxy=f"http://127.0.0.1:{free_port()}",
                     connect_timeout=2).list_models()
