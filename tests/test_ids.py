import os
import re

import pytest

from messages_sandbox.ids import new_id, request_id

_SHAPE = re.compile(r"[a-z]+_01[1-9A-HJ-NP-Za-km-z]{22}")


def test_ids_are_shaped_like_the_real_apis_and_never_repeat() -> None:
    ids = [request_id() for _ in range(1000)] + [new_id("msg_") for _ in range(1000)]
    assert all(_SHAPE.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert {i[:4] for i in ids} == {"req_", "msg_"}


def test_an_id_of_another_length_keeps_the_prefix_and_length() -> None:
    made = new_id("file_", 10)
    assert made.startswith("file_01") and len(made) == len("file_01") + 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_worker_does_not_repeat_the_parents_ids() -> None:
    request_id()  # ids drawn ahead of time in the parent
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, to the parent
        os.write(write, " ".join(request_id() for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    child = os.read(read, 4096).decode().split()
    os.close(read)
    os.waitpid(pid, 0)
    mine = [request_id() for _ in range(3)]
    assert len(child) == 3 and not set(child) & set(mine)
