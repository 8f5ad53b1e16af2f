from __future__ import annotations

from django.apps import AppConfig


class ObservatoireConfig(AppConfig):
    name = "observatoire"
    verbose_name = "Observatoire"

    def ready(self) -> None:
        from territoires.registry import IndicatorChoice, register_indicator_catalogue

        def catalogue() -> list[IndicatorChoice]:
            from observatoire.models import Indicator

            rows = Indicator.objects.order_by("fragility__order", "code").values_list(
                "code", "label", "fragility__code", "fragility__label"
            )
            return [IndicatorChoice(c, label, f or "", fl or "") for c, label, f, fl in rows]

        # A fragility reading's indicator source is chosen in this catalogue (territoires/forms).
        register_indicator_catalogue(catalogue)

        # Web and worker processes start Chromium and WeasyPrint now, in a thread, rather than
        # during their first report (migrate, test and other commands do not).
        from observatoire.report import pregenerate, warm

        warm.start_in_background()
        # Reports are regenerated in the background when their data change.
        pregenerate.connect()
