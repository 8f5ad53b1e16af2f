"""Reference and demo data of this app, loaded by `manage.py setup_platform`."""

from __future__ import annotations

import time
from typing import TextIO

import numpy as np
import pandas as pd
from django.db import transaction

from config.typography import french_seconds
from observatoire.imports.loading import peer_distributions_refresh, values_load
from observatoire.imports.values import Block
from observatoire.models import (
    Collection,
    Indicator,
    IndicatorValue,
    Kind,
    Polarity,
    ValuesDigest,
)
from observatoire.seed_data import (
    DEMO_INDICATORS,
    DEMO_KINDS,
    DEMO_NOTE,
    DEMO_SECRET_SHARE,
    DEMO_SEED,
    DEMO_SOURCE,
    DEMO_YEAR,
    POLARITY_NOTE,
    REFERENCE_FIGURES,
)
from territoires.models import Fragility, Level, Territory


def load_reference(*, stdout: TextIO) -> None:
    """The national figures of the publications, at France level (idempotent)."""
    france = Territory.objects.filter(level=Level.COUNTRY).first()
    with transaction.atomic():
        indicators = {}
        for order, (code, label, source, values, note) in enumerate(REFERENCE_FIGURES):
            indicators[code], _ = Indicator.objects.update_or_create(
                code=code,
                defaults={
                    "label": label,
                    "unit": "%",
                    "source": source,
                    "vintage": "/".join(str(year) for year in values),
                    "collection": Collection.ACTEURS,
                    "fragility": None,
                    "polarity": Polarity.UNSPECIFIED,
                    "levels": [Level.COUNTRY],
                    "additive": False,
                    "kind": Kind.RATE,
                    "is_demo": False,
                    "note": " ".join(filter(None, [note, POLARITY_NOTE])),
                    "order": 1000 + order,
                },
            )
        if france is None:
            stdout.write(
                "  Observatoire : France absente de la géographie, chiffres nationaux non chargés."
            )
            return
        # Rows written outside an import: a re-import must compare them again.
        ValuesDigest.objects.filter(indicator__in=indicators.values(), level=Level.COUNTRY).delete()
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(indicator=indicators[code], territory=france, year=year, value=value)
                for code, _, _, values, _ in REFERENCE_FIGURES
                for year, value in values.items()
            ],
            update_conflicts=True,
            unique_fields=["indicator", "territory", "year"],
            update_fields=["value"],
        )
    stdout.write(
        f"  Observatoire : {len(REFERENCE_FIGURES)} chiffres nationaux des fiches Repères."
    )


def demo_indicators_upsert() -> list[Indicator]:
    fragilities = dict(Fragility.objects.values_list("code", "pk"))
    indicators = []
    for order, (code, label, unit, fragility, polarity, additive, _, _) in enumerate(
        DEMO_INDICATORS
    ):
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "unit": unit,
                "source": DEMO_SOURCE,
                "vintage": str(DEMO_YEAR),
                "collection": Collection.DOMAINES,
                "fragility_id": fragilities.get(fragility),
                "polarity": polarity,
                "levels": [
                    Level.COMMUNE,
                    Level.EPCI,
                    Level.DEPARTEMENT,
                    Level.REGION,
                    Level.COUNTRY,
                ],
                "additive": additive,
                "kind": DEMO_KINDS[code],
                "is_demo": True,
                "note": DEMO_NOTE,
                "order": 500 + order,
            },
        )
        indicators.append(indicator)
    return indicators


def demo_blocks(indicators: list[Indicator]) -> list[Block]:
    """Commune values drawn with a seeded RNG; counts summed up the levels, rates drawn per level
    (never averaged)."""
    rng = np.random.default_rng(DEMO_SEED)
    communes = list(
        Territory.objects.filter(level=Level.COMMUNE)
        .order_by("code")
        .values_list("pk", "population", "epci_id", "departement_id", "region_id")
    )
    upper = {
        level: list(
            Territory.objects.filter(level=level).order_by("code").values_list("pk", flat=True)
        )
        for level in (Level.EPCI, Level.DEPARTEMENT, Level.REGION, Level.COUNTRY)
    }
    # Arrondissements municipaux: their own generator, so the communes' values stay the same.
    arrondissements = list(
        Territory.objects.filter(level=Level.ARRONDISSEMENT, commune__isnull=False)
        .order_by("code")
        .values_list("pk", "population", "commune_id")
    )
    arrondissement_rng = np.random.default_rng(DEMO_SEED + 1)
    blocks: list[Block] = []
    if not communes:
        return blocks
    ids = np.array([row[0] for row in communes], dtype=np.int64)
    position = {pk: index for index, pk in enumerate(ids.tolist())}
    population = np.array([row[1] or 500 for row in communes], dtype=np.float64)
    parents = {
        Level.EPCI: np.array([row[2] or 0 for row in communes], dtype=np.int64),
        Level.DEPARTEMENT: np.array([row[3] or 0 for row in communes], dtype=np.int64),
        Level.REGION: np.array([row[4] or 0 for row in communes], dtype=np.int64),
        Level.COUNTRY: np.full(
            len(communes), upper[Level.COUNTRY][0] if upper[Level.COUNTRY] else 0
        ),
    }
    for indicator, (_, _, unit, _, _, additive, mean, spread) in zip(
        indicators, DEMO_INDICATORS, strict=True
    ):
        noise = rng.lognormal(0.0, spread, len(ids))
        if additive:
            values = np.round(population * mean * noise)
        else:
            values = np.round(mean * noise, 1)
            if unit == "%":
                values = np.clip(values, 0, 100)
            secret = (population < 300) & (rng.random(len(ids)) < DEMO_SECRET_SHARE)
            values[secret] = np.nan
        blocks.append(_block(indicator.pk, ids, values))
        if arrondissements:
            blocks.append(
                _arrondissement_block(
                    indicator.pk,
                    arrondissements,
                    values,
                    position,
                    additive,
                    mean,
                    spread,
                    unit,
                    arrondissement_rng,
                )
            )
        for level, level_ids in upper.items():
            if not level_ids:
                continue
            level_array = np.array(level_ids, dtype=np.int64)
            if additive:
                # Sum of the member communes only (a count is additive; a rate never is).
                sums = pd.Series(values).groupby(parents[level]).sum()
                level_values = sums.reindex(level_array, fill_value=0.0).to_numpy(np.float64)
            else:
                level_values = np.round(mean * rng.lognormal(0.0, spread / 2, len(level_ids)), 1)
                if unit == "%":
                    level_values = np.clip(level_values, 0, 100)
            blocks.append(_block(indicator.pk, level_array, level_values))
    return blocks


def _arrondissement_block(
    indicator_id: int,
    arrondissements: list[tuple[int, int | None, int]],
    commune_values: np.ndarray,
    position: dict[int, int],
    additive: bool,
    mean: float,
    spread: float,
    unit: str,
    rng: np.random.Generator,
) -> Block:
    """A count is the commune's split by population (the arrondissements sum to it, the commune
    is counted once above); a rate is drawn for each arrondissement."""
    ids = np.array([row[0] for row in arrondissements], dtype=np.int64)
    population = np.array([row[1] or 0 for row in arrondissements], dtype=np.float64)
    commune = np.array([row[2] for row in arrondissements], dtype=np.int64)
    if additive:
        share = population / pd.Series(population).groupby(commune).transform("sum").to_numpy()
        totals = np.array([commune_values[position[c]] for c in commune], dtype=np.float64)
        values = np.round(totals * np.nan_to_num(share))
    else:
        values = np.round(mean * rng.lognormal(0.0, spread, len(ids)), 1)
        if unit == "%":
            values = np.clip(values, 0, 100)
    return _block(indicator_id, ids, values)


def _block(indicator_id: int, territory_ids: np.ndarray, values: np.ndarray) -> Block:
    return Block(
        np.full(len(territory_ids), indicator_id, dtype=np.int64),
        territory_ids,
        np.full(len(territory_ids), DEMO_YEAR, dtype=np.int16),
        values.astype(np.float64),
    )


def load_demo(*, stdout: TextIO) -> None:
    """Deterministic demo indicators for every commune, arrondissement municipal, EPCI,
    département, région and France; then the demo territorial dialogues."""
    demo_indicators(stdout=stdout)
    from observatoire.dialogues.demo import load_demo_dialogues

    load_demo_dialogues(stdout=stdout)


def demo_indicators(*, stdout: TextIO) -> None:
    started = time.monotonic()
    with transaction.atomic():
        indicators = demo_indicators_upsert()
        blocks = demo_blocks(indicators)
        rows = sum(len(block) for block in blocks)
        if not rows:
            stdout.write(
                "  Observatoire : pas de géographie, indicateurs de démonstration sans valeurs."
            )
            return
        counts = values_load(
            blocks,
            total_blocks=len(blocks),
            expected_rows=rows,
            indicator_ids=[indicator.pk for indicator in indicators],
            years=[DEMO_YEAR],
            dry_run=False,
        )
        peer_distributions_refresh(
            indicator_ids=[indicator.pk for indicator in indicators], years=[DEMO_YEAR]
        )
    stdout.write(
        f"  Observatoire : {len(indicators)} indicateurs de démonstration, {rows} valeurs "
        f"({counts.created} créées, {counts.updated} modifiées) en {french_seconds(time.monotonic() - started)}."
    )
