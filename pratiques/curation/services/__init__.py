"""Writes of the curation, one module per subject (history, versions, elements, lineage,
reference lists, resources); every name is re-exported here, so callers import the package.
"""

from __future__ import annotations

from pratiques.curation.services.elements import (
    capitalize,
    element_add,
    element_label,
    element_move,
    element_remove,
    element_update,
    renumber,
)
from pratiques.curation.services.history import (
    EDITABLE_FIELDS,
    TARGET_TYPES,
    GridElement,
    curation_record,
    snapshot,
    target_type,
)
from pratiques.curation.services.lineage import (
    MoveReport,
    assessment_move_forward,
    lineage_record,
    lineage_remove,
)
from pratiques.curation.services.reference_lists import reference_item_update, size_segment_update
from pratiques.curation.services.resources import (
    RESOURCE_FIELDS,
    resource_attach,
    resource_delete,
    resource_detach,
    resource_save,
)
from pratiques.curation.services.versions import (
    code_sort_key,
    lock_draft,
    locked_error,
    version_copy,
    version_delete,
    version_errors,
    version_publish,
    version_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "RESOURCE_FIELDS",
    "TARGET_TYPES",
    "GridElement",
    "MoveReport",
    "assessment_move_forward",
    "capitalize",
    "code_sort_key",
    "curation_record",
    "element_add",
    "element_label",
    "element_move",
    "element_remove",
    "element_update",
    "lineage_record",
    "lineage_remove",
    "lock_draft",
    "locked_error",
    "reference_item_update",
    "renumber",
    "resource_attach",
    "resource_delete",
    "resource_detach",
    "resource_save",
    "size_segment_update",
    "snapshot",
    "target_type",
    "version_copy",
    "version_delete",
    "version_errors",
    "version_publish",
    "version_update",
]
