"""Models of the grid and of the assessments; each module re-exported here."""

from __future__ import annotations

from pratiques.models.assessment import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentStatus,
    Organisation,
    OrganisationMembership,
    PeerBucket,
    PeerGroupKind,
)
from pratiques.models.grid import (
    Axis,
    GridStatus,
    GridVersion,
    Lever,
    Practice,
    Scale,
    ScaleStep,
    Situation,
)

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentScore",
    "AssessmentStatus",
    "Axis",
    "GridStatus",
    "GridVersion",
    "Lever",
    "Organisation",
    "OrganisationMembership",
    "PeerBucket",
    "PeerGroupKind",
    "Practice",
    "Scale",
    "ScaleStep",
    "Situation",
]
