"""Running the same per-file function on a Dask cluster, when one machine is not enough.

Dask is an optional extra (`pip install archive[dask]`). Files are submitted in windows, so neither
the client nor the cluster ever holds the whole batch, and outcomes come back in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_WINDOW = 256


def map_on_dask(function: Callable[[str], T], files: list[str], executor: str, workers: int) -> Iterator[T]:
    """`function` of every file, in input order, on a Dask cluster (see `pipeline.map_files`)."""
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
        pending: deque[Any] = deque()
        for path in files:
            pending.append(client.submit(function, path, pure=False))
            if len(pending) >= _WINDOW:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
