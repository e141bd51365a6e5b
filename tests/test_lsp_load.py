"""The language server under load (issue 13): a request whose params are not an object gets an
error reply; a 2 MB document edited 100 times in quick succession gets the diagnostics of its
newest version, at most MAX_DIAGNOSTICS of them and a note; a hover on a small document is
answered meanwhile. The server is a real subprocess, driven by pytest-lsp (see test_lsp.py,
whose client and helpers this module shares). Times are guards against a hang, not measurements.
"""

from __future__ import annotations

import asyncio
import time

import pytest

pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from test_lsp import HEPATIC, SAFETY, client, folder, hover_at, in_server, open_doc, published, change_doc  # noqa: E402,F401

from healthlint.lsp.checker import MAX_DIAGNOSTICS  # noqa: E402

GUARD = 300.0  # seconds: a guard against a hang (the huge document takes seconds, more on a busy machine)
_raw_ids = iter(range(10_000))


def raw_request(client, method: str, params) -> asyncio.Future:
    """Send a request as written, params unchecked (the client's own requests are typed); the
    answer comes back through the client's table of requests awaiting one."""
    msg_id = f"raw-{next(_raw_ids)}"
    future = asyncio.get_running_loop().create_future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return future


@in_server
@pytest.mark.parametrize("method", [types.TEXT_DOCUMENT_HOVER, types.TEXT_DOCUMENT_CODE_ACTION])
async def test_a_request_with_params_that_are_not_an_object_gets_an_error_reply(client, method):
    with pytest.raises(JsonRpcException) as refused:
        await asyncio.wait_for(raw_request(client, method, "zzz"), 20)
    assert refused.value.code == -32602
    assert refused.value.message == f"the params of {method} are not what the protocol expects: an object with this method's fields"
    # The server goes on answering.
    here = folder(client)
    small = open_doc(client, here / "after.md", f"{HEPATIC}\n")
    assert {d.code for d in await published(client, small, version=1)} == {"plain-language"}


@in_server
async def test_a_notification_with_bad_params_is_ignored_and_the_server_goes_on(client):
    client.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_DID_OPEN, "params": "zzz"})
    small = open_doc(client, folder(client) / "next.md", f"{HEPATIC}\n")
    assert {d.code for d in await published(client, small, version=1)} == {"plain-language"}


# Big enough that linting it takes seconds (each edit cancels the lint of the one before) and
# that it has many more findings than are shown.
HUGE_BYTES = 2_000_000
EDITS = 100


def huge(version: int) -> str:
    paragraph = f"{SAFETY} {HEPATIC} Kratom offers a natural alternative to opioids. Studies suggest it works.\n\n"
    return f"Version {version}.\n\n" + paragraph * (HUGE_BYTES // len(paragraph))


@in_server
async def test_a_2_mb_document_edited_100_times_gets_its_newest_diagnostics_and_hover_stays_answered(client):
    here = folder(client)
    small = open_doc(client, here / "small.md", f"{HEPATIC}\n")
    word = next(d for d in await published(client, small, version=1) if d.code == "plain-language")

    big = open_doc(client, here / "huge.md", huge(1))
    waits = []
    newest = EDITS + 1
    for version in range(2, newest + 1):
        change_doc(client, big, version, huge(version))
        if version % 25 == 0:  # between the edits: hover on the small document
            asked = time.monotonic()
            hover = await asyncio.wait_for(hover_at(client, small, word.range.start), GUARD)
            waits.append(time.monotonic() - asked)
            assert hover is not None and "**plain-language**" in hover.contents.value
    print(f"hover on the small document answered in {', '.join(f'{w:.2f}' for w in waits)} s")

    deadline = time.monotonic() + GUARD
    while time.monotonic() < deadline and not any(p.version == newest for p in client.published.get(big, [])):
        await asyncio.sleep(0.2)
    versions = [p.version for p in client.published.get(big, [])]
    assert versions and versions[-1] == newest, versions  # the newest version wins; none after it
    diagnostics = next(p.diagnostics for p in client.published[big] if p.version == newest)
    assert len(diagnostics) == MAX_DIAGNOSTICS + 1
    note = diagnostics[-1]
    assert (note.code, note.severity, note.range.start.line) == ("too-many-findings", types.DiagnosticSeverity.Information, 0)
    assert note.message.startswith(f"healthlint shows the first {MAX_DIAGNOSTICS:,} findings of this document; ")
    assert note.message.endswith(" more are not shown. Run `healthlint check` on the file to see them all.")
