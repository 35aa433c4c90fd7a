"""Vega-Lite specs whose data sets are already Arrow, so a script run that draws a kept spec does not convert them.

`st.vega_lite_chart` sends each named data set of a spec (`spec["datasets"]`) to the browser as Arrow IPC bytes,
converting rows with `streamlit.dataframe_util.convert_anything_to_arrow_bytes` on every call unless the data set
is bytes already (then it passes them on as they are). The conversion (rows to a pandas frame to Arrow) was a good
part of each run's cost on Spectrum, redone for charts that had not changed. Converting once, with the same
function Streamlit calls, and keeping the result with the spec sends exactly the same bytes
(tests/app/test_rerun_cost.py compares the elements).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import lru_cache, wraps

from streamlit import dataframe_util

from explorer.specs import spectrum_spec as _spectrum_spec


def arrow_datasets(spec: dict) -> dict:
    """A copy of `spec` whose tabular data sets are Arrow IPC bytes, as `st.vega_lite_chart` would send them.

    Only lists of rows are converted: anything else (GeoJSON, bytes) is left for Streamlit to handle as before.
    """
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    converted = {name: (dataframe_util.convert_anything_to_arrow_bytes(rows)
                        if isinstance(rows, list) and all(isinstance(r, dict) for r in rows) else rows)
                 for name, rows in datasets.items()}
    return {**spec, "datasets": converted}


def copied(make: Callable[..., dict]) -> Callable[..., dict]:
    """A bounded process memo of a spec that hands every caller its own copy.

    `st.vega_lite_chart` changes the spec it is given, so no two callers may share one. The spec is kept pickled; a
    read is one `pickle.loads`, without `st.cache_data`'s hashing of the arguments (which cost more than the copy).
    Only specs this app makes are kept, so only they are unpickled.
    """
    kept = lru_cache(maxsize=256)(lambda *args: pickle.dumps(make(*args), protocol=pickle.HIGHEST_PROTOCOL))

    @wraps(make)
    def read(*args: Hashable) -> dict:
        return pickle.loads(kept(*args))

    read.cache_clear = kept.cache_clear  # type: ignore[attr-defined]
    return read


@copied
def _spectrum(placements: tuple[tuple[str, str], ...], priorities: tuple[str, ...], presenter: bool) -> dict:
    return arrow_datasets(_spectrum_spec(dict(placements), priorities, presenter))


def spectrum_spec(placements: Mapping[str, str], priorities: Iterable[str] = (), presenter: bool = False) -> dict:
    """`explorer.specs.spectrum_spec` with its rows in Arrow, made once per placement and kept."""
    return _spectrum(tuple(sorted(placements.items())), tuple(sorted(set(priorities))), presenter)
