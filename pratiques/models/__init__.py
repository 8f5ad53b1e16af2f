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
from pratiques.models.campaign import (
    Campaign,
    CampaignMessage,
    CampaignSnapshot,
    Invitee,
    InviteeSource,
    MessageKind,
)
from pratiques.models.curation import (
    AssessmentPseudonym,
    CurationEvent,
    ElementType,
    KeyLineage,
    LineageKind,
)
from pratiques.models.directory import (
    ContactBlock,
    ContactMessage,
    DirectoryProfile,
    Visibility,
)
from pratiques.models.examples import Example, ExampleEvent, ExampleStatus, Impact
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
from pratiques.models.plan import (
    OPEN_STATUSES,
    DevelopmentPlan,
    DevelopmentWay,
    PlanItem,
    PlanStatus,
)
from pratiques.models.release import PrivacySpend, Release, ReleasedAggregate, ReleasedRecord
from pratiques.models.resources import Resource, ResourceAttachment, ResourceKind
from pratiques.models.standing import Vouch, VouchSource, established

__all__ = [
    "OPEN_STATUSES",
    "Answer",
    "Assessment",
    "AssessmentPseudonym",
    "AssessmentScore",
    "AssessmentStatus",
    "Axis",
    "Campaign",
    "CampaignMessage",
    "CampaignSnapshot",
    "ContactBlock",
    "ContactMessage",
    "CurationEvent",
    "DevelopmentPlan",
    "DevelopmentWay",
    "DirectoryProfile",
    "ElementType",
    "Example",
    "ExampleEvent",
    "ExampleStatus",
    "GridStatus",
    "GridVersion",
    "Impact",
    "Invitee",
    "InviteeSource",
    "KeyLineage",
    "Lever",
    "LineageKind",
    "MessageKind",
    "Organisation",
    "OrganisationMembership",
    "PeerBucket",
    "PeerGroupKind",
    "PlanItem",
    "PlanStatus",
    "Practice",
    "PrivacySpend",
    "Release",
    "ReleasedAggregate",
    "ReleasedRecord",
    "Resource",
    "ResourceAttachment",
    "ResourceKind",
    "Scale",
    "ScaleStep",
    "Situation",
    "Visibility",
    "Vouch",
    "VouchSource",
    "established",
]
