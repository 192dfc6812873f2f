"""TLS with a department's own CA: a TLS-terminating loopback proxy (certificates from a CA made
here) in front of the real llama_cpp.server. Trusted through a CA bundle or the OS store;
an unknown CA and a hostname mismatch are refused with a clear, typed error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hkpilot.engines.base import CancelToken, GenParams
from hkpilot.engines.http_client import ServerConfig
from hkpilot.engines.remote import RemoteEngine
from hkpilot.engines.server_check import FAIL, OK, check_server
from hkpilot.errors import ServerTLSError
from tests.integration.certs import DeptCA
from tests.integration.fault_proxy import FaultProxy

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def dept_ca(tmp_path_factory: pytest.TempPathFactory) -> DeptCA:
    return DeptCA.create(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def tls_proxy(llama_server: str, dept_ca: DeptCA) -> Iterator[FaultProxy]:
    with FaultProxy(llama_server, tls=dept_ca.server_context(("localhost", "127.0.0.1"))) as proxy:
        yield proxy


def _say(engine: RemoteEngine) -> str:
    return "".join(engine.stream([{"role": "user", "content": "Say OK."}], GenParams(max_tokens=3), CancelToken()))


def test_trusted_through_the_policy_ca_bundle(tls_proxy: FaultProxy, dept_ca: DeptCA) -> None:
    engine = RemoteEngine(tls_proxy.url, model="starter", api_key="", ca_bundle=str(dept_ca.ca_pem))
    assert tls_proxy.url.startswith("https://") and _say(engine).strip()
    localhost = RemoteEngine(tls_proxy.url.replace("127.0.0.1", "localhost"), model="starter", api_key="",
                             ca_bundle=str(dept_ca.ca_pem))
    assert localhost.list_models()


def test_trusted_through_the_os_store(tls_proxy: FaultProxy, dept_ca: DeptCA, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    # On Linux truststore reads OpenSSL's default locations, which SSL_CERT_FILE points at: an
    # internal CA an administrator installed there is trusted with no setting at all.
    store = tmp_path / "store.pem"
    store.write_bytes(dept_ca.ca_pem.read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(store))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    assert RemoteEngine(tls_proxy.url, model="starter", api_key="").list_models()


def test_unknown_ca_is_refused(tls_proxy: FaultProxy) -> None:
    with pytest.raises(ServerTLSError) as err:
        RemoteEngine(tls_proxy.url, model="starter", api_key="").list_models()
    assert "certificate" in err.value.render().lower() or "issuer" in err.value.render().lower()
    assert tls_proxy.chats() == []


def test_hostname_mismatch_is_refused(llama_server: str, dept_ca: DeptCA) -> None:
    with FaultProxy(llama_server, tls=dept_ca.server_context(("llm.other.example",))) as proxy:
        with pytest.raises(ServerTLSError, match=r"(?i)mismatch|not valid for"):
            RemoteEngine(proxy.url, model="starter", api_key="", ca_bundle=str(dept_ca.ca_pem)).list_models()


def test_server_check_reports_tls(tls_proxy: FaultProxy, dept_ca: DeptCA) -> None:
    good = check_server(ServerConfig(url=tls_proxy.url, model="starter", api_key="", ca_bundle=str(dept_ca.ca_pem)))
    assert good.ok, good.text()
    assert [s.status for s in good.steps if s.label == "TLS"] == [OK]
    bad = check_server(ServerConfig(url=tls_proxy.url, model="starter", api_key=""))
    assert not bad.ok and [s.status for s in bad.steps if s.label == "TLS"] == [FAIL]
    assert isinstance(bad.error, ServerTLSError)
