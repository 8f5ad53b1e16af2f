"""Small, real-coded geography for tests (the full one is loaded only where a test needs it)."""

from __future__ import annotations

from dataclasses import dataclass

from territoires.models import Level, Territory


@dataclass
class MiniGeography:
    france: Territory
    idf: Territory
    ara: Territory
    val_de_marne: Territory
    loire: Territory
    grand_paris: Territory
    st_etienne_metropole: Territory
    vincennes: Territory
    saint_mande: Territory
    saint_etienne: Territory
    firminy: Territory
    small_commune: Territory


def territory(
    level: Level, code: str, name: str, population: int | None, **parents: Territory
) -> Territory:
    return Territory.objects.create(
        level=level, code=code, name=name, population=population, **parents
    )


def mini_geography() -> MiniGeography:
    france = territory(Level.COUNTRY, "FR", "France", 68_000_000)
    idf = territory(Level.REGION, "11", "Île-de-France", 12_271_794)
    ara = territory(Level.REGION, "84", "Auvergne-Rhône-Alpes", 8_114_361)
    vdm = territory(Level.DEPARTEMENT, "94", "Val-de-Marne", 1_425_326, region=idf)
    loire = territory(Level.DEPARTEMENT, "42", "Loire", 771_634, region=ara)
    mgp = territory(
        Level.EPCI, "200054781", "Métropole du Grand Paris", 7_115_576, region=idf, departement=vdm
    )
    sem = territory(
        Level.EPCI, "244200770", "Saint-Étienne Métropole", 407_700, region=ara, departement=loire
    )
    vincennes = Territory.objects.create(
        level=Level.COMMUNE,
        code="94080",
        name="Vincennes",
        population=48_193,
        region=idf,
        departement=vdm,
        epci=mgp,
        postal_codes="94300",
    )
    saint_mande = Territory.objects.create(
        level=Level.COMMUNE,
        code="94067",
        name="Saint-Mandé",
        population=21_071,
        region=idf,
        departement=vdm,
        epci=mgp,
        postal_codes="94160",
    )
    saint_etienne = Territory.objects.create(
        level=Level.COMMUNE,
        code="42218",
        name="Saint-Étienne",
        population=173_136,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42000 42100 42230",
    )
    firminy = Territory.objects.create(
        level=Level.COMMUNE,
        code="42095",
        name="Firminy",
        population=16_817,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42700",
    )
    small = Territory.objects.create(
        level=Level.COMMUNE,
        code="42001",
        name="Aboën",
        population=512,
        region=ara,
        departement=loire,
        epci=sem,
        postal_codes="42380",
    )
    return MiniGeography(
        france,
        idf,
        ara,
        vdm,
        loire,
        mgp,
        sem,
        vincennes,
        saint_mande,
        saint_etienne,
        firminy,
        small,
    )
