"""Hypothesis strategies shared by the fuzz tests of every inbound parser."""

from __future__ import annotations

from hypothesis import strategies as st

SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=25,
)
"""Any JSON value: what a peer that does not follow the platform's schema could send."""
