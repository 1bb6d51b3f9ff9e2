"""Opinion groups of a statements-mode consultation, computed as Polis does, in plain numpy.

The steps follow Polis (and red-dwarf, which reproduces it) so that both find the same groups:

1. Vote matrix: participants × statements, agree = +1, disagree = -1, pass = 0, unseen = NaN.
   Statements hidden by moderation become all zeros (they must not pull anyone anywhere).
2. Unseen cells take the statement's mean vote (mean imputation), then the matrix is centred.
3. PCA to 2 components (eigenvectors of the statements' covariance, sign fixed as scikit-learn
   does: the largest loading of each component is positive).
4. Each participant's point is scaled by sqrt(statements / votes cast), so someone who voted on
   few statements is not bunched up in the centre.
5. Only participants with at least ``MIN_VOTES`` votes are clustered: k-means (Lloyd) for k = 2..5,
   initial centres the first k distinct points in sorted order (Polis's deterministic start), and
   the k with the best silhouette wins (the smaller k on a tie).
6. Per group and statement, agree/disagree probabilities with a +1 prior; representative
   statements are those a group agrees (or disagrees) with significantly more than the rest;
   consensus statements are those every group agrees (or disagrees) with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

AGREE = 1
DISAGREE = -1
PASS = 0
# Polis clusters only participants who voted on at least 7 statements.
MIN_VOTES = 7
K_RANGE = (2, 5)
MAX_ITER = 300
TOL = 1e-4
# One-sided z for 90 % confidence, Polis's significance level for representative statements.
Z_90 = 1.2816
PICK_MAX = 5

FloatArray = NDArray[np.float64]


@dataclass
class OpinionResult:
    """What one computation found; ``labels`` is -1 for participants not clustered."""

    points: FloatArray  # (participants, 2)
    labels: NDArray[np.int64]  # (participants,)
    k: int
    silhouette: float
    clustered: NDArray[np.bool_]
    # Per group: list of (statement index, "agree" | "disagree", probability within the group, ratio to the rest).
    representative: list[list[tuple[int, str, float, float]]] = field(default_factory=list)
    # (statement index, "agree" | "disagree", lowest probability across groups)
    consensus: list[tuple[int, str, float]] = field(default_factory=list)
    # Per group: (participants, agree counts, disagree counts, seen counts) per statement.
    group_sizes: list[int] = field(default_factory=list)


def project(matrix: FloatArray, *, moderated: list[int] | None = None) -> FloatArray:
    """Steps 1–4: the participants' 2-D points (see the module docstring)."""
    x = np.array(matrix, dtype=np.float64, copy=True)
    if moderated:
        x[:, moderated] = 0.0
    seen = ~np.isnan(x)
    counts = seen.sum(axis=0)
    sums = np.where(seen, x, 0.0).sum(axis=0)
    # A statement nobody has seen has no mean; after centring it would be zero anyway.
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    centred = np.where(seen, x, means) - means
    n_statements = x.shape[1]
    if n_statements < 2 or x.shape[0] < 2:
        return np.zeros((x.shape[0], 2))
    # Covariance is statements × statements (300 × 300): its eigenvectors are the principal axes,
    # much cheaper than an SVD of the whole participants × statements matrix.
    _values, vectors = np.linalg.eigh(centred.T @ centred)
    components = vectors[:, ::-1][:, :2].T.copy()
    for row in components:
        # scikit-learn's svd_flip: the loading of largest magnitude is positive, so signs are stable.
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    points = centred @ components.T
    votes_cast = seen.sum(axis=1)
    scale = np.sqrt(n_statements / np.maximum(1, votes_cast))
    return points * scale[:, np.newaxis]


def _kmeans(points: FloatArray, k: int) -> tuple[NDArray[np.int64], FloatArray] | None:
    """Lloyd's k-means from Polis's deterministic start; None when there are fewer than k distinct points."""
    distinct = np.unique(points, axis=0)
    if len(distinct) < k:
        return None
    centres = distinct[:k].copy()
    tol = float(np.mean(np.var(points, axis=0))) * TOL
    labels = np.full(len(points), -1, dtype=np.int64)
    for _ in range(MAX_ITER):
        distances = ((points[:, np.newaxis, :] - centres[np.newaxis, :, :]) ** 2).sum(axis=2)
        new_labels = distances.argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        new_centres = centres.copy()
        for c in range(k):
            members = points[labels == c]
            if len(members):
                new_centres[c] = members.mean(axis=0)
            else:
                # An empty cluster takes the point farthest from its own centre, as scikit-learn does.
                far = int(distances[np.arange(len(points)), labels].argmax())
                new_centres[c] = points[far]
        shift = float(((new_centres - centres) ** 2).sum())
        centres = new_centres
        if shift <= tol:
            distances = ((points[:, np.newaxis, :] - centres[np.newaxis, :, :]) ** 2).sum(axis=2)
            labels = distances.argmin(axis=1)
            break
    return labels, centres


def _pairwise(points: FloatArray) -> FloatArray:
    squared = (points ** 2).sum(axis=1)
    d2 = squared[:, np.newaxis] + squared[np.newaxis, :] - 2.0 * (points @ points.T)
    return np.sqrt(np.maximum(d2, 0.0))


def silhouette(distances: FloatArray, labels: NDArray[np.int64], k: int) -> float:
    """Mean silhouette coefficient (a point alone in its cluster scores 0, as in scikit-learn)."""
    onehot = np.zeros((len(labels), k))
    onehot[np.arange(len(labels)), labels] = 1.0
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot  # (n, k): total distance from each point to each cluster
    own_size = sizes[labels]
    own = sums[np.arange(len(labels)), labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(own_size > 1, own / np.maximum(own_size - 1, 1), 0.0)
        means = sums / np.where(sizes > 0, sizes, np.nan)
    means[np.arange(len(labels)), labels] = np.inf
    means = np.where(np.isnan(means), np.inf, means)
    b = means.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own_size > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return float(s.mean())


def _z_two_proportions(succ1: float, n1: float, succ2: float, n2: float) -> float:
    """Polis's two-proportion test with a +1 prior on each side."""
    p1, p2 = (succ1 + 1) / (n1 + 2), (succ2 + 1) / (n2 + 2)
    pooled = (succ1 + succ2 + 1) / (n1 + n2 + 2)
    se = math.sqrt(max(pooled * (1 - pooled) * (1 / (n1 + 1) + 1 / (n2 + 1)), 1e-12))
    return (p1 - p2) / se


def opinion_groups(matrix: FloatArray, *, moderated: list[int] | None = None,
                   min_votes: int = MIN_VOTES, pick_max: int = PICK_MAX) -> OpinionResult:
    """Steps 1–6 on a participants × statements matrix (NaN = unseen)."""
    # The matrices are small (2,000 × 300): BLAS threads fighting the web or worker processes for
    # the same cores made the computation 5–10× slower under load, and one thread is ~0.4 s.
    with threadpool_limits(limits=1):
        return _opinion_groups(matrix, moderated=moderated, min_votes=min_votes, pick_max=pick_max)


def _opinion_groups(matrix: FloatArray, *, moderated: list[int] | None, min_votes: int,
                    pick_max: int) -> OpinionResult:
    x = np.asarray(matrix, dtype=np.float64)
    points = project(x, moderated=moderated)
    clustered = (~np.isnan(x)).sum(axis=1) >= min_votes
    labels = np.full(len(x), -1, dtype=np.int64)
    result = OpinionResult(points=points, labels=labels, k=0, silhouette=0.0, clustered=clustered)
    idx = np.flatnonzero(clustered)
    if len(idx) < K_RANGE[0] + 1:
        return result
    sub = points[idx]
    distances = _pairwise(sub)
    best: tuple[float, int, NDArray[np.int64]] | None = None
    for k in range(K_RANGE[0], min(K_RANGE[1], len(idx) - 1) + 1):
        found = _kmeans(sub, k)
        if found is None:
            break
        score = silhouette(distances, found[0], k)
        if best is None or score > best[0]:
            best = (score, k, found[0])
    if best is None:
        return result
    result.silhouette, result.k, sub_labels = best
    labels[idx] = sub_labels
    _statements(result, x, moderated or [], pick_max)
    return result


def _statements(result: OpinionResult, x: FloatArray, moderated: list[int], pick_max: int) -> None:
    """Representative statements per group and consensus statements (step 6)."""
    k = result.k
    seen = ~np.isnan(x)
    agree = np.where(seen, x == AGREE, False)
    disagree = np.where(seen, x == DISAGREE, False)
    groups = [result.labels == g for g in range(k)]
    result.group_sizes = [int(g.sum()) for g in groups]
    na = np.array([agree[g].sum(axis=0) for g in groups], dtype=np.float64)
    nd = np.array([disagree[g].sum(axis=0) for g in groups], dtype=np.float64)
    ns = np.array([seen[g].sum(axis=0) for g in groups], dtype=np.float64)
    pa = (na + 1) / (ns + 2)
    pd_ = (nd + 1) / (ns + 2)
    hidden = set(moderated)
    n_statements = x.shape[1]
    for g in range(k):
        rest = [h for h in range(k) if h != g]
        ra_n, rd_n, rs_n = na[rest].sum(axis=0), nd[rest].sum(axis=0), ns[rest].sum(axis=0)
        picks: list[tuple[float, int, str, float, float]] = []
        for s in range(n_statements):
            if s in hidden or ns[g, s] == 0:
                continue
            for direction, mine, theirs, prob in (("agree", na[g, s], ra_n[s], pa[g, s]),
                                                  ("disagree", nd[g, s], rd_n[s], pd_[g, s])):
                rest_prob = (theirs + 1) / (rs_n[s] + 2)
                ratio = prob / rest_prob
                if prob > 0.5 and ratio > 1 and _z_two_proportions(mine, ns[g, s], theirs, rs_n[s]) > Z_90:
                    picks.append((ratio * prob, s, direction, float(prob), float(ratio)))
        picks.sort(key=lambda p: (-p[0], p[1]))
        chosen: list[tuple[int, str, float, float]] = []
        used: set[int] = set()
        for _score, s, direction, prob, ratio in picks:
            if s not in used:
                chosen.append((s, direction, prob, ratio))
                used.add(s)
            if len(chosen) >= pick_max:
                break
        result.representative.append(chosen)
    consensus: list[tuple[int, str, float]] = []
    for direction, probs in (("agree", pa), ("disagree", pd_)):
        lowest = probs.min(axis=0)
        for s in np.argsort(-lowest, kind="stable"):
            if int(s) in hidden or lowest[s] <= 0.6 or ns[:, s].min() == 0:
                continue
            consensus.append((int(s), direction, float(lowest[s])))
            if sum(1 for c in consensus if c[1] == direction) >= pick_max:
                break
    result.consensus = consensus
