"""Opinion groups on a small matrix with planted groups: the same groups as red-dwarf (Polis)."""

from __future__ import annotations

import numpy as np
import pytest
from bench.opinion_groups import adjusted_rand, reddwarf_labels, synthetic_matrix

from danvan.democracy.consultations.opinion import opinion_groups, project, silhouette


def test_groups_match_reddwarf_or_planted_groups() -> None:
    matrix, planted = synthetic_matrix(200, 40, seed=5)
    result = opinion_groups(matrix)
    mask = result.clustered
    assert result.k >= 2
    theirs = reddwarf_labels(matrix)
    if theirs is not None:
        both = mask & (theirs >= 0)
        assert adjusted_rand(theirs[both], result.labels[both]) >= 0.9
    else:
        assert adjusted_rand(planted[mask], result.labels[mask]) >= 0.8
    # Participants with fewer than 7 votes are placed but not grouped.
    assert (result.labels[~mask] == -1).all()


def test_two_clear_camps_give_two_groups_and_consensus() -> None:
    # Two camps of 30 split on statements 0-7; nearly everyone agrees with 8 and 9. Each person
    # strays from their camp now and then and has not seen every statement.
    rng = np.random.default_rng(3)
    camps = np.repeat([0, 1], 30)
    stance = np.array([[1] * 8 + [1, 1], [-1] * 8 + [1, 1]], dtype=float)
    matrix = stance[camps] * np.where(rng.random((60, 10)) < 0.9, 1, -1)
    matrix[:, 8:] = np.where(rng.random((60, 2)) < 0.95, 1, 0)
    matrix[rng.random((60, 10)) < 0.1] = np.nan
    result = opinion_groups(matrix)
    assert result.k == 2
    assert adjusted_rand(camps, result.labels) >= 0.9
    agreed = {s for s, direction, _p in result.consensus if direction == "agree"}
    assert {8, 9} <= agreed and not agreed & set(range(8))
    assert all(result.representative[g] for g in range(2))


def test_silhouette_matches_definition() -> None:
    points = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    labels = np.array([0, 0, 1, 1])
    d = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    # a = 1, b = mean(10, sqrt(101)) for every point.
    b = (10 + np.sqrt(101)) / 2
    assert silhouette(d, labels, 2) == pytest.approx((b - 1) / b)


def test_few_votes_are_scaled_out_of_the_centre() -> None:
    matrix = np.array([[1, 1, -1, -1], [1, np.nan, np.nan, np.nan], [-1, -1, 1, 1]], dtype=float)
    points = project(matrix)
    assert points.shape == (3, 2)
    assert np.isfinite(points).all()
