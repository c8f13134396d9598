from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import HeadcountBand, Organisation, Role
from .validators import department_region, normalise_siren, regions


class SignupOrganisationForm(forms.Form):
    """Extra fields of the sign-up form: signing up creates the person's organisation."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200)
    headcount_band = forms.ChoiceField(label=_("Headcount"), choices=HeadcountBand.choices)

    def signup(self, request: Any, user: Any) -> None:
        from .services import organisation_create

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.language = (get_language() or "fr")[:2]
        user.save()
        organisation_create(
            owner=user,
            name=self.cleaned_data["organisation_name"],
            headcount_band=self.cleaned_data["headcount_band"],
        )


def region_choices() -> list[tuple[str, str]]:
    lang = (get_language() or "fr")[:2]
    return [("", "—")] + [(r["code"], r["name"].get(lang) or r["name"]["fr"]) for r in regions()]


def department_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (d["code"], f"{d['code']} – {d['name']}") for r in regions() for d in r["departments"]
    ]


class OrganisationProfileForm(forms.ModelForm):
    # wider than the 9 stored digits: people type SIRENs with spaces; clean_siren normalises
    siren = forms.CharField(
        label=_("SIREN"),
        max_length=20,
        required=False,
        help_text=_("9 digits, found on the Kbis extract or at annuaire-entreprises.data.gouv.fr."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "siren",
            "nace_code",
            "headcount_band",
            "turnover_band",
            "region",
            "department",
            "activity",
        ]
        widgets = {"activity": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "nace_code": _("The APE/NAF code, e.g. 14.12Z."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(label=_("Region"), choices=region_choices, required=False)
        self.fields["department"] = forms.ChoiceField(
            label=_("Department"), choices=department_choices, required=False
        )

    def clean_siren(self) -> str:
        return normalise_siren(self.cleaned_data.get("siren", ""))

    def clean_nace_code(self) -> str:
        return (self.cleaned_data.get("nace_code") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        department, region = data.get("department"), data.get("region")
        if department:
            expected = department_region().get(department)
            if region and expected != region:
                self.add_error("department", _("This department is not in the chosen region."))
            elif not region:
                data["region"] = expected
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    """For an invited person who has no account yet."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(email=self.email, first_name=data.get("first_name", ""))
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
