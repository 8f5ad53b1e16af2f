"""Issue 31: the grid analytics on the three scales, by size segment and by actor profile, and over
the releases, under the disclosure rules (released figures only, « < k » cells, no complementary
cell that gives one back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from pratiques import disclosure
from pratiques.aggregates import release_aggregates
from pratiques.breakdowns import scope
from pratiques.curation.analytics import MASKED
from pratiques.models import (
    Answer,
    Assessment,
    AssessmentPseudonym,
    GridVersion,
    Practice,
    ReleasedAggregate,
    Vouch,
)
from territoires.models import ActorProfile, SizeSegment
from tests.conftest import logged_in, ok
from tests.factories import months_later

pytestmark = pytest.mark.django_db

ANALYTICS = reverse("pratiques:curation:analytics")


def people(geo: Any, n: int, *, segment: Any, profile: Any, prefix: str) -> None:
    """``n`` established people of this segment and profile, their answers varying by person."""
    version = GridVersion.objects.get(slug="2024")
    practices = list(Practice.objects.filter(version=version).order_by("situation__order", "order"))
    for i in range(n):
        user = User.objects.create(username=f"{prefix}{i}")
        Vouch.objects.create(user=user, source="invitation")
        assessment = Assessment.objects.create(
            user=user,
            version=version,
            territory=geo.vincennes,
            actor_profile=profile,
            size_segment=segment,
            region=geo.idf,
            status="submitted",
            submitted_at=timezone.now(),
            consent_statistics=True,
        )
        AssessmentPseudonym.objects.create(assessment=assessment)
        Answer.objects.bulk_create(
            [
                Answer(assessment=assessment, practice=p, not_concerned=True)
                if (i + j) % 7 == 6
                else Answer(
                    assessment=assessment,
                    practice=p,
                    frequency=(i + j) % 4,
                    involvement=(i * j) % 4,
                    carrying=1 + (i + 2 * j) % 3,
                    wants_to_develop=(i + j) % 3 == 0,
                )
                for j, p in enumerate(practices)
            ]
        )


@pytest.fixture
def network(geo: Any) -> dict[str, Any]:
    """Three classes of five: (big, first profile), (big, second profile), (small, first)."""
    segments = list(SizeSegment.objects.order_by("order"))
    profiles = list(ActorProfile.objects.order_by("order"))
    big, small, first, second = segments[-1], segments[0], profiles[0], profiles[1]
    people(geo, 5, segment=big, profile=first, prefix="a")
    people(geo, 5, segment=big, profile=second, prefix="b")
    people(geo, 5, segment=small, profile=first, prefix="c")
    return {"big": big, "small": small, "first": first, "second": second}


def tables(body: bytes) -> dict[str, dict[str, list[str]]]:
    """caption → practice row → the cells shown, for every table of the analytics."""
    tree = lxml_html.fromstring(body)
    result = {}
    for table in tree.xpath('//table[contains(@class, "cur-distribution")]'):
        caption = " ".join(table.xpath("string(caption)").split())
        result[caption] = {
            " ".join(row.xpath("string(th)").split()): [
                td.text_content().strip() for td in row.xpath("td")
            ]
            for row in table.xpath("tbody/tr")
        }
    return result


def headers(body: bytes) -> list[str]:
    tree = lxml_html.fromstring(body)
    first = tree.xpath('//table[contains(@class, "cur-distribution")]')[0]
    return [" ".join(th.text_content().split()) for th in first.xpath("thead/tr/th")][1:]


NAMES = {
    "frequency": ["f0", "f1", "f2", "f3", "not_concerned", "unanswered", "develop"],
    "involvement": ["i0", "i1", "i2", "i3", "not_concerned", "unanswered"],
    "carrying": ["c1", "c2", "c3", "not_concerned", "unanswered"],
}


def practice_keys() -> dict[str, str]:
    version = GridVersion.objects.current()
    return {f"{p.code} {p.label}": str(p.key) for p in Practice.objects.filter(version=version)}


def assert_equal_to_release(shown: dict[str, list[str]], figures: dict, scale: str) -> int:
    """Every number shown is the released figure; returns how many cells were hidden."""
    keys, hidden = practice_keys(), 0
    for practice, cells in shown.items():
        released = figures["practices"][keys[practice]]
        for name, cell in zip(NAMES[scale], cells, strict=True):
            if cell in (f"< {disclosure.threshold()}", MASKED):
                hidden += 1
                if cell != MASKED:
                    assert 0 < released[name] < disclosure.threshold()
                continue
            assert int(cell) == released[name], (practice, name)
    return hidden


@pytest.mark.parametrize("scale", ["frequency", "involvement", "carrying"])
def test_the_whole_network_on_each_scale_is_the_released_draw(nadia, network, scale) -> None:
    release = release_aggregates()
    response = ok(logged_in(nadia).get(ANALYTICS, {"echelle": scale}))
    version = GridVersion.objects.current()
    row = ReleasedAggregate.objects.get(release=release, scope=f"analyses:{version.pk}")
    (shown,) = tables(response.content).values()
    assert len(shown) == 24
    assert_equal_to_release(shown, row.figures, scale)
    labels = {"frequency": "Jamais", "involvement": "Pilote", "carrying": "En partenariat"}
    assert labels[scale] in headers(response.content)


@pytest.mark.parametrize(("breakdown", "groups"), [("segment", 2), ("profile", 2)])
def test_breakdowns_equal_the_released_aggregates_and_hide_small_cells_and_complements(
    nadia, network, breakdown, groups, django_assert_max_num_queries
) -> None:
    release = release_aggregates()
    client = logged_in(nadia)
    with django_assert_max_num_queries(14):
        response = ok(client.get(ANALYTICS, {"echelle": "frequency", "ventilation": breakdown}))
    shown = tables(response.content)
    assert len(shown) == groups
    version = GridVersion.objects.current()
    labels = {
        "segment": [network["big"].label, network["small"].label],
        "profile": [network["first"].label, network["second"].label],
    }[breakdown]
    hidden = 0
    columns: dict[tuple[str, int], list[str]] = {}
    for label in labels:
        caption = next(c for c in shown if c.endswith(f"— {label}"))
        row = ReleasedAggregate.objects.get(
            release=release, scope=scope(version.pk, breakdown, label)
        )
        assert row.status == disclosure.PUBLISHED and row.figures["label"] == label
        hidden += assert_equal_to_release(shown[caption], row.figures, "frequency")
        for practice, cells in shown[caption].items():
            # A row's six answer cells add up to the group's people: never one hidden alone.
            assert sum(c in ("< 5", MASKED) for c in cells[:6]) != 1, (label, practice)
            for i, cell in enumerate(cells):
                columns.setdefault((practice, i), []).append(cell)
    assert hidden, "five people answering on four steps leave small cells"
    # A column adds up over the groups (the export gives the sum): never one hidden alone.
    for key, cells in columns.items():
        assert sum(c in ("< 5", MASKED) for c in cells) != 1, key
    html = response.content.decode()
    assert MASKED in html and "&lt; 5" in html


def test_under_the_threshold_nothing_is_shown_whatever_the_breakdown(nadia, geo) -> None:
    segment = SizeSegment.objects.order_by("order").first()
    profile = ActorProfile.objects.order_by("order").first()
    people(geo, 3, segment=segment, profile=profile, prefix="few")
    release_aggregates()
    client = logged_in(nadia)
    for breakdown in ("", "segment", "profile"):
        for scale in ("frequency", "involvement", "carrying"):
            html = client.get(ANALYTICS, {"echelle": scale, "ventilation": breakdown})
            text = html.content.decode()
            assert "Moins de 5 personnes" in text
            assert not tables(html.content) and 'id="distribution-data"' not in text


def test_the_trend_follows_the_successive_releases(nadia, geo, network) -> None:
    first = release_aggregates()
    people(geo, 5, segment=network["big"], profile=network["first"], prefix="d")
    second = release_aggregates(now=months_later())
    client = logged_in(nadia)
    response = ok(client.get(ANALYTICS, {"echelle": "involvement", "ventilation": "segment"}))
    tree = lxml_html.fromstring(response.content)
    trends = tree.xpath('//details[contains(@class, "analytics-trend")]//table')
    assert len(trends) == 2
    version = GridVersion.objects.current()
    big = next(t for t in trends if network["big"].label in t.xpath("string(caption)"))
    lines = [[td.text_content().strip() for td in tr.xpath("td")] for tr in big.xpath("tbody/tr")]
    assert len(lines) == 2  # the latest release first
    for line, release in zip(lines, (second, first), strict=True):
        figures = ReleasedAggregate.objects.get(
            release=release, scope=scope(version.pk, "segment", network["big"].label)
        ).figures
        assert line[0] == str(figures["total"])
        sums = {
            name: sum(cells[name] for cells in figures["practices"].values())
            for name in NAMES["involvement"]
        }
        whole = sum(sums.values())
        expected = [f"{disclosure.share(sums[name], whole)} %" for name in NAMES["involvement"]]
        assert line[1:] == expected
    assert lines[0][0] == "15" and lines[1][0] == "10"


def test_the_choice_is_a_fragment_with_htmx(nadia, network, htmx) -> None:
    release_aggregates()
    fragment = logged_in(nadia).get(
        ANALYTICS, {"echelle": "carrying", "ventilation": "profile"}, headers=htmx
    )
    text = fragment.content.decode()
    assert "<html" not in text and 'id="analyses"' in text and "Portage, par profil" in text
    # An unknown choice falls back to the frequency of the whole network.
    text = logged_in(nadia).get(ANALYTICS, {"echelle": "x", "ventilation": "y"}).content.decode()
    assert "Fréquence, ensemble du réseau" in text


def test_hide_complements_leaves_no_equation_with_one_unknown() -> None:
    cells = {"a": 1, "b": 10, "c": 20, "x": 7, "y": 0}
    hidden = disclosure.hide_complements(cells, [["a", "b", "c"], ["b", "x"], ["c", "y"]])
    assert hidden == {"a": "small", "b": "complement", "x": "complement"}


def test_a_release_that_counted_only_frequencies_says_so(nadia, network) -> None:
    release = release_aggregates()
    version = GridVersion.objects.current()
    row = ReleasedAggregate.objects.get(release=release, scope=f"analyses:{version.pk}")
    row.figures["practices"] = {
        key: {name: v for name, v in cells.items() if name[0] not in "ic"}
        for key, cells in row.figures["practices"].items()
    }
    row.save()
    ReleasedAggregate.objects.filter(
        release=release, scope__startswith=f"analyses:{version.pk}:"
    ).delete()
    client = logged_in(nadia)
    text = client.get(ANALYTICS, {"echelle": "involvement"}).content.decode()
    assert "ne comptait que la fréquence" in text and not tables(text.encode())
    assert tables(client.get(ANALYTICS).content)  # the frequencies are still there
    text = client.get(ANALYTICS, {"ventilation": "segment"}).content.decode()
    assert "aucune ventilation n'est montrée" in text


def test_breakdowns_from_the_release_s_people_equal_those_read_again(network) -> None:
    from pratiques.breakdowns import breakdown_aggregates

    release = release_aggregates()
    version = GridVersion.objects.current()
    stored = {
        row.scope: row.figures
        for row in ReleasedAggregate.objects.filter(
            release=release, scope__startswith=f"analyses:{version.pk}:"
        )
    }
    again = breakdown_aggregates(release=release, version=version)  # every answer read again
    assert len(stored) == 4 and {row.scope: row.figures for row in again} == stored
