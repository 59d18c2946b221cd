"""Running the same per-file function on a Dask cluster, when one machine is not enough.

Dask is an optional extra (`pip install archive[dask]`). Files are submitted a few at a time per task
(see `pipeline.map_files`) and in a window, so neither the client nor the cluster ever holds the whole
batch, and outcomes come back in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

A = TypeVar("A")
T = TypeVar("T")

# Tasks in flight per worker thread of the cluster: enough to keep every worker busy, few enough that
# finished results (with their original bytes) cannot pile up on the client.
_TASKS_PER_THREAD = 4


def map_on_dask(function: Callable[[A], T], items: list[A], executor: str, workers: int) -> Iterator[T]:
    """`function` of every item, in input order, on a Dask cluster (see `pipeline.map_files`)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:
        raise RuntimeError("the Dask executor needs the dask extra: pip install 'archive[dask]'") from error

    cluster: Any = None
    if executor == "dask-local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    elif executor.startswith("dask://"):
        client = Client(executor.removeprefix("dask://"))
    else:
        raise ValueError(f"unknown executor {executor!r}: use local, dask-local or dask://HOST:PORT")
    try:
        window = _TASKS_PER_THREAD * max(1, sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for item in items:
            pending.append(client.submit(function, item, pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
