"""Under /api/, every error is JSON with a stable code, even one answered before the API's
views (an unknown address, the malformed-input guard of ``config.middleware``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from observatoire.api.http import error

API_PREFIX = "/api/"
CODES = {
    400: ("requete_invalide", "Requête invalide."),
    404: ("introuvable", "Adresse inconnue."),
    405: ("methode_non_permise", "Cette API est en lecture seule."),
    413: ("requete_trop_grande", "Requête trop grande."),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = CODES.get(response.status_code, ("erreur", "Erreur."))
            replaced = error(response.status_code, code, message)
            replaced["Access-Control-Allow-Origin"] = "*"
            for header in ("Retry-After", "Allow"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response
