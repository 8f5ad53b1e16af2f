"""Checksums of the normalised values per (indicator, year): a re-import skips what is unchanged.

The checksum covers the file's rows of one indicator and year, sorted by territory, values as
float64 with one NaN for every missing value. It is stored with the run that wrote those rows
(``ValuesDigest``) in the same transaction; any other write to them deletes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import numpy as np

from observatoire.imports.values import Block
from observatoire.models import ImportRun, ValuesDigest

Key = tuple[int, int]  # (indicator_id, year)
YEAR_SPAN = 10_000  # key code = indicator_id * YEAR_SPAN + year


def key_codes(block: Block) -> np.ndarray:
    return block.indicator_ids.astype(np.int64) * YEAR_SPAN + block.years.astype(np.int64)


def _groups(block: Block) -> Iterator[tuple[Key, np.ndarray, np.ndarray]]:
    """(key, territory ids, values) of each indicator and year of a block, by territory."""
    codes = key_codes(block)
    if len(codes) and codes[0] == codes[-1] and (codes == codes[0]).all():
        order = np.argsort(block.territory_ids, kind="stable")
        code = int(codes[0])
        yield (code // YEAR_SPAN, code % YEAR_SPAN), block.territory_ids[order], block.values[order]
        return
    order = np.lexsort((block.territory_ids, codes))
    codes, territories, values = codes[order], block.territory_ids[order], block.values[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], len(codes)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        code = int(codes[start])
        yield (code // YEAR_SPAN, code % YEAR_SPAN), territories[start:end], values[start:end]


def file_keys(blocks: Iterable[Block]) -> dict[Key, int]:
    """Number of rows of each (indicator, year) of the file (no checksum: cheap)."""
    found: dict[Key, int] = {}
    for block in blocks:
        codes, counts = np.unique(key_codes(block), return_counts=True)
        for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
            key = (code // YEAR_SPAN, code % YEAR_SPAN)
            found[key] = found.get(key, 0) + count
    return found


def file_digests(blocks: Iterable[Block], *, level: str) -> dict[Key, tuple[str, int]]:
    """Checksum and number of rows of each (indicator, year) of the file."""
    found: dict[Key, tuple[str, int]] = {}
    hashes: dict[Key, tuple[hashlib.blake2b, int]] = {}
    for block in blocks:
        for key, territories, values in _groups(block):
            normalised = values.astype(np.float64) + 0.0  # -0.0 → 0.0
            normalised[np.isnan(normalised)] = np.nan  # one bit pattern for every missing value
            digest, rows = hashes.get(key) or (hashlib.blake2b(digest_size=32), 0)
            digest.update(f"{level}:{key[0]}:{key[1]}:".encode())
            digest.update(territories.astype(">i8").tobytes())
            digest.update(normalised.astype(">f8").tobytes())
            hashes[key] = (digest, rows + len(values))
    for key, (digest, rows) in hashes.items():
        found[key] = (digest.hexdigest(), rows)
    return found


def stored_digests(keys: Iterable[Key], *, level: str) -> dict[Key, str]:
    keys = list(keys)
    indicators = sorted({indicator for indicator, _ in keys})
    years = sorted({year for _, year in keys})
    return {
        (indicator, year): digest
        for indicator, year, digest in ValuesDigest.objects.filter(
            level=level, indicator_id__in=indicators, year__in=years
        ).values_list("indicator_id", "year", "digest")
    }


def digests_store(digests: dict[Key, tuple[str, int]], *, level: str, run: ImportRun) -> None:
    """Replace the checksums of these keys (same transaction as the rows they describe)."""
    digests_forget(digests, levels=[level])
    ValuesDigest.objects.bulk_create(
        ValuesDigest(
            indicator_id=indicator, year=year, level=level, digest=digest, rows=rows, run=run
        )
        for (indicator, year), (digest, rows) in digests.items()
    )


def digests_forget(keys: Iterable[Key], *, levels: list[str] | None = None) -> None:
    """Rows of these keys were written by something else than their last import."""
    keys = list(keys)
    if not keys:
        return
    found = ValuesDigest.objects.filter(
        indicator_id__in=sorted({indicator for indicator, _ in keys}),
        year__in=sorted({year for _, year in keys}),
    )
    if levels is not None:
        found = found.filter(level__in=levels)
    found.delete()
