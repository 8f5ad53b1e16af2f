from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from accounts.services import is_pending_signup
from config.roles import Role


class _PasswordPair(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def _user_for_validation(self) -> User:
        data = self.cleaned_data
        return User(
            username=data.get("email", ""),
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif p1:
            try:
                password_validation.validate_password(p1, self._user_for_validation())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignupForm(forms.Form):
    """No password here: it is chosen on the page the confirmation link opens, so that a pending
    sign-up never holds a password that the owner of the address did not choose."""

    field_order = ["first_name", "last_name", "email", "consent"]

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        help_text=(
            "Elle sert d'identifiant ; un lien y sera envoyé pour confirmer l'adresse et "
            "choisir votre mot de passe."
        ),
    )
    consent = forms.BooleanField(
        label="J'accepte ces conditions",
        help_text=(
            "Mon nom et mon adresse électronique sont conservés pour mon compte. Mes "
            "auto-évaluations ne sont visibles que par moi (et par mon organisation si je la "
            "partage) ; je choisis à chaque validation si elles alimentent les statistiques "
            "anonymisées, jamais montrées en dessous de 5 auto-évaluations. Je peux exporter ou "
            "supprimer mes données, et mon compte, à tout moment."
        ),
        error_messages={"required": "Cochez la case pour accepter ces conditions."},
    )


class SignupConfirmForm(_PasswordPair):
    """The password of a sign-up, chosen when the address is confirmed."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.pending = user
        super().__init__(*args, **kwargs)

    def _user_for_validation(self) -> User:
        return User(
            username=self.pending.username,
            email=self.pending.email,
            first_name=self.pending.first_name,
            last_name=self.pending.last_name,
        )


class SignupResendForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", max_length=150)


class LoginForm(AuthenticationForm):
    """The e-mail is the identifier (an older account's username also works). Someone whose
    sign-up is not confirmed yet is told so, with a way to get the link again, rather than
    « identifiants invalides »."""

    unconfirmed = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse e-mail"
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})

    def clean_username(self) -> str:
        typed = (self.cleaned_data.get("username") or "").strip()
        if "@" in typed and not User.objects.filter(username=typed).exists():
            owner = User.objects.filter(email__iexact=typed).order_by("pk").first()
            if owner is not None:
                return owner.username
        return typed

    def get_invalid_login_error(self) -> ValidationError:
        username = self.cleaned_data.get("username") or ""
        user = User.objects.filter(username=username).first()
        if user is not None and is_pending_signup(user):
            self.unconfirmed = True
            return ValidationError(
                "Confirmez votre adresse : cliquez sur le lien reçu par e-mail pour choisir "
                "votre mot de passe et activer votre compte.",
                code="unconfirmed",
            )
        return ValidationError(
            "Adresse e-mail ou mot de passe incorrect. Les majuscules comptent dans le mot "
            "de passe.",
            code="invalid_login",
        )


class InvitationAcceptForm(_PasswordPair):
    field_order = ["first_name", "last_name", "password1", "password2"]

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.invited = user
        kwargs.setdefault("initial", {"first_name": user.first_name, "last_name": user.last_name})
        super().__init__(*args, **kwargs)

    def _user_for_validation(self) -> User:
        user = super()._user_for_validation()
        user.username = user.email = self.invited.email
        return user


ROLE_CHOICES = [(role.value, role.label) for role in Role]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label="Rôle(s)",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un rôle."},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Rôles", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Votre mot de passe, pour confirmer",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mot de passe incorrect.")
        return str(password)
