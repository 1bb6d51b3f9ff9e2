"""Reuse the case tests' officials, clock and submit helper."""

from tests.cases.conftest import (  # noqa: F401  (fixtures re-exported for pytest)
    clock,
    field_dat_dai,
    field_moi_truong,
    hcm,
    hcm_commune,
    ngoc_ha,
    people,
    submit,
)
