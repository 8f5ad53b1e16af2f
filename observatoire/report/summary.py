"""The first page of the report: what matters for the territory, in words, and what to do next.

Built from the ``ReportData`` already collected (no query), for every territory: where it stands
out among its peers and where it is better placed, what the network knows of its engineering
practices, what its figures date from, and « Pour aller plus loin »: the platform's actions,
linked, with a QR code of the territory's page.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from django.conf import settings
from django.urls import reverse

from config.typography import french_date
from observatoire.readings import BETTER_PLACED, STANDING_SHOWN, STANDS_OUT, centile
from observatoire.report.data import DomainSection, NextStep, ReportData, Summary
from territoires.models import Level


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@lru_cache(maxsize=512)
def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (segno: vector, drawn sharp at any size); kept
    for the process (encoding it is pure Python, ~2 ms: a territory's report made again reuses
    it)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1d2a3a")


def _named(domains: list[DomainSection]) -> list[tuple[str, str]]:
    return [(d.label, centile(d.position)) for d in domains if d.position is not None][
        :STANDING_SHOWN
    ]


def build_summary(data: ReportData) -> Summary:
    summary = Summary()
    ranked = [d for d in data.domains if d.position is not None]
    summary.ranked_domains = len(ranked)
    by_rank = sorted(ranked, key=lambda d: (-(d.position or 0), d.label))
    summary.stands_out = _named([d for d in by_rank if (d.position or 0) >= STANDS_OUT])
    summary.better_placed = _named(
        [d for d in reversed(by_rank) if (d.position or 0) <= BETTER_PLACED]
    )
    if not summary.stands_out:
        summary.highest = _named(by_rank[:2])
    summary.strong = [d.label for d in data.domains if d.curated_level == 3]
    summary.marked = [d.label for d in data.domains if d.curated_level == 2]
    summary.curated_domains = sum(1 for d in data.domains if d.curated_level is not None)
    summary.practices = _practices_sentence(data)
    summary.dates = _dates(data)
    summary.changes = data.changes.sentences
    summary.perceived = _perceived_sentence(data)
    t = data.territory
    page = reverse("territoires:detail", args=[t.level, t.code])
    summary.page_url = absolute(page)
    summary.qr = qr_data_uri(summary.page_url)
    summary.next_steps = _next_steps(data, page)
    return summary


def _perceived_sentence(data: ReportData) -> str:
    """What the local actors said in the latest published dialogue, under its disclosure rules
    (nothing when its figures are not shown): the fragilities they feel strongly, and those where
    their perception and the network's level or the indicators part ways."""
    part = data.perceived
    if part is None or not part.results.shown or not part.rows:
        return ""
    strong = [
        r.label for r in part.rows if r.perceived is not None and r.perceived.words == "forte"
    ]
    examine = [r.label for r in part.rows if r.to_examine]
    closed = f", clos le {french_date(part.closed_on)}" if part.closed_on else ""
    sentence = f"dialogue « {part.dialogue.title} »{closed}, {part.respondents} réponses"
    if part.demo:
        sentence += " (données de démonstration)"
    sentence += " : "
    sentence += (
        f"perçues comme fortes : {', '.join(strong)}" if strong else "aucune fragilité perçue forte"
    )
    if examine:
        sentence += f" ; à examiner, la perception s’écartant du reste : {', '.join(examine)}"
    return sentence + "."


def _practices_sentence(data: ReportData) -> str:
    p = data.practices
    if p.shown:
        most = ", ".join(f"{c.practice.code} {c.practice.label}" for c in p.most_to_develop[:3])
        sentence = (
            f"{p.people_label} catalyseurs agissant ici ont partagé leur auto-évaluation "
            "(synthèse anonymisée ci-après)"
        )
        return (
            f"{sentence} ; pratiques le plus souvent à développer : {most}."
            if most
            else (sentence + ".")
        )
    if p.suppressed:
        return (
            "La synthèse des pratiques n’est pas publiée ici : rapprochée de celle d’un territoire "
            f"voisin ou englobant, elle isolerait moins de {data.threshold} personnes."
        )
    return (
        f"Moins de {data.threshold} catalyseurs agissant ici ont partagé leur auto-évaluation : "
        "la synthèse des pratiques paraîtra quand ils seront assez nombreux (voir « Pour aller "
        "plus loin »)."
    )


def _dates(data: ReportData) -> list[str]:
    dates = [f"{label} : millésime {value}" for label, value in data.vintages]
    if data.practices.release is not None:
        released = data.practices.release.released_at.date()
        dates.append(
            f"Pratiques : diffusion du {french_date(released)} (les chiffres changent à chaque "
            "diffusion, pas à chaque auto-évaluation)"
        )
    if data.maturity is not None and data.maturity.assessed_on:
        dates.append(f"Maturité : évaluation du {french_date(data.maturity.assessed_on)}")
    return dates


def _next_steps(data: ReportData, page: str) -> list[NextStep]:
    t = data.territory
    steps = [
        NextStep(
            "Suivre le territoire",
            "La page du territoire, mise à jour à chaque import et à chaque diffusion : les élus "
            "inscrits peuvent la suivre et être prévenus des nouveautés.",
            absolute(page),
        )
    ]
    maturity = (
        "Mettre à jour l’évaluation de maturité"
        if data.maturity
        else "Obtenir une évaluation de maturité"
    )
    steps.append(
        NextStep(
            maturity,
            "Le réseau l’établit avec les acteurs du territoire (écosystème, pivots, "
            "compétences) : demandez-la depuis la rubrique « Maturité » de la page.",
            absolute(page + "#maturite"),
        )
    )
    steps.append(
        NextStep(
            "Qualifier les pratiques d’ingénierie",
            "Catalyseurs du territoire : votre auto-évaluation, consentie, enrichit la synthèse "
            "anonymisée à la diffusion suivante.",
            absolute(reverse("pratiques:home")),
        )
    )
    steps.append(
        NextStep(
            "Ouvrir un dialogue territorial",
            "Demandez aux acteurs locaux (publics, économiques, associatifs) quelles fragilités "
            "ils perçoivent, sur un téléphone et sans compte, pour les croiser avec ces "
            "indicateurs.",
            absolute(reverse("observatoire:dialogue_create") + f"?niveau={t.level}&code={t.code}"),
        )
    )
    if t.level != Level.PROJECT:
        steps.append(
            NextStep(
                "Trouver qui agit ici et les données",
                "Élus inscrits, pratiques et indicateurs du territoire, à télécharger en CSV.",
                absolute(reverse("observatoire:territory_indicators_csv", args=[t.level, t.code])),
            )
        )
    return steps
