from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from parcours.actions.models import Action
from parcours.organisations.models import Organisation

from . import selectors
from .models import PublicProfile
from .validators import clean_public_slug, parse_number

COMMITMENTS_MAX = 4000
INDICATOR_PARTS = ("label", "value", "unit", "year")


def local_number(value: Any) -> str:
    """A stored value ("12.5") written the local way for editing (12,5 in French)."""
    try:
        return number_format(Decimal(str(value)), use_l10n=True)
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)


class ActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"{obj.title} ({obj.get_status_display()})"


class PublicProfileForm(forms.Form):
    public_slug = forms.CharField(
        label=_("Public address"),
        max_length=200,
        help_text=_(
            "The end of the page's address. 3 to 60 lowercase letters, digits and hyphens. "
            "An address once used stays yours: old links keep working."
        ),
    )
    commitments = forms.CharField(
        label=_("Our commitments"),
        required=False,
        max_length=COMMITMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In your own words: what your company commits to, and why. Shown as you write it."),
    )
    show_maturity = forms.BooleanField(
        label=_(
            "Show the maturity level (from the latest validated diagnosis, otherwise the latest completed one)"
        ),
        required=False,
    )
    show_validation = forms.BooleanField(
        label=_(
            "Show the date of the last validated diagnosis and the name of the consultant who validated it"
        ),
        required=False,
    )
    show_core_subject_scores = forms.BooleanField(
        label=_("Show the scores of the 7 core subjects (0 to 100)"), required=False
    )
    actions = ActionChoiceField(
        label=_("Actions to show (done or in progress)"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vsme_figures = forms.MultipleChoiceField(
        label=_("Figures from your VSME indicators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        max_length=254,
        help_text=_("Shown on the page. Leave empty to show none. Prefer a shared address (rse@…)."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["actions"].queryset = selectors.selectable_actions(organisation)  # type: ignore[attr-defined]
        self.fields["actions"].help_text = _(
            "Up to %(n)d actions of your plan. Only their title and status are shown."
        ) % {"n": PublicProfile.MAX_ACTIONS}
        figures = selectors.vsme_figures(organisation)
        by_year: dict[int, list[tuple[str, str]]] = {}
        for f in figures:
            value = number_format(f.value, use_l10n=True, force_grouping=True)
            shown = _("%(label)s: %(value)s %(unit)s") % {"label": f.label, "value": value, "unit": f.unit}
            by_year.setdefault(f.year, []).append((f.key, shown.strip()))
        choice = self.fields["vsme_figures"]
        assert isinstance(choice, forms.MultipleChoiceField)
        choice.choices = [(str(year), rows) for year, rows in by_year.items()]
        choice.help_text = _(
            "Up to %(n)d figures, shown as they stand in your indicators: when you correct a figure, "
            "the page follows."
        ) % {"n": PublicProfile.MAX_VSME_FIGURES}
        choice.error_messages["invalid_choice"] = _(
            "This figure is no longer in your indicators: untick it or choose another one."
        )
        for i in range(PublicProfile.MAX_INDICATORS):
            n = i + 1
            self.fields[f"ind_{i}_label"] = forms.CharField(
                label=_("Indicator %(n)d: name") % {"n": n}, required=False, max_length=120
            )
            self.fields[f"ind_{i}_value"] = forms.CharField(
                label=_("Indicator %(n)d: value") % {"n": n}, required=False, max_length=30
            )
            self.fields[f"ind_{i}_unit"] = forms.CharField(
                label=_("Indicator %(n)d: unit") % {"n": n}, required=False, max_length=30
            )
            self.fields[f"ind_{i}_year"] = forms.IntegerField(
                label=_("Indicator %(n)d: year") % {"n": n}, required=False, min_value=1990, max_value=2100
            )

    @classmethod
    def initial_for(cls, profile: PublicProfile) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "public_slug": profile.public_slug,
            "commitments": profile.commitments,
            "show_maturity": profile.show_maturity,
            "show_validation": profile.show_validation,
            "show_core_subject_scores": profile.show_core_subject_scores,
            "actions": list(profile.actions.values_list("pk", flat=True)) if profile.pk else [],
            "contact_email": profile.contact_email,
            "vsme_figures": list(profile.vsme_figures) if isinstance(profile.vsme_figures, list) else [],
        }
        rows = profile.indicators if isinstance(profile.indicators, list) else []
        for i, row in enumerate(rows[: PublicProfile.MAX_INDICATORS]):
            if isinstance(row, dict):
                for part in INDICATOR_PARTS:
                    initial[f"ind_{i}_{part}"] = row.get(part)
                initial[f"ind_{i}_value"] = local_number(row.get("value"))
        return initial

    def indicator_rows(self) -> list[dict[str, Any]]:
        """Bound fields grouped by row, for the table of indicators."""
        return [
            {"n": i + 1, **{part: self[f"ind_{i}_{part}"] for part in INDICATOR_PARTS}}
            for i in range(PublicProfile.MAX_INDICATORS)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("public_slug", "commitments", "contact_email")]

    def choice_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in ("show_maturity", "show_validation", "show_core_subject_scores", "actions")
        ]

    def clean_public_slug(self) -> str:
        return clean_public_slug(self.cleaned_data.get("public_slug", ""), self.organisation)

    def clean_vsme_figures(self) -> list[str]:
        keys = list(self.cleaned_data.get("vsme_figures") or [])
        if len(keys) > PublicProfile.MAX_VSME_FIGURES:
            raise ValidationError(
                _("Choose at most %(n)d figures (you chose %(chosen)d).")
                % {"n": PublicProfile.MAX_VSME_FIGURES, "chosen": len(keys)},
                code="too_many",
            )
        return keys

    def clean_actions(self) -> list[Action]:
        actions = list(self.cleaned_data.get("actions") or [])
        if len(actions) > PublicProfile.MAX_ACTIONS:
            raise ValidationError(
                _("Choose at most %(n)d actions (you chose %(chosen)d).")
                % {"n": PublicProfile.MAX_ACTIONS, "chosen": len(actions)},
                code="too_many",
            )
        return actions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicators = []
        for i in range(PublicProfile.MAX_INDICATORS):
            label = (cleaned.get(f"ind_{i}_label") or "").strip()
            raw_value = (cleaned.get(f"ind_{i}_value") or "").strip()
            unit = (cleaned.get(f"ind_{i}_unit") or "").strip()
            year = cleaned.get(f"ind_{i}_year")
            if any(f"ind_{i}_{part}" in self.errors for part in INDICATOR_PARTS):
                continue
            if not (label or raw_value or unit or year):
                continue
            if not label:
                self.add_error(f"ind_{i}_label", _("Name this indicator, or clear its row."))
            if not raw_value:
                self.add_error(f"ind_{i}_value", _("Give this indicator a value, or clear its row."))
                continue
            try:
                value = parse_number(raw_value)
            except ValidationError as exc:
                self.add_error(f"ind_{i}_value", exc)
                continue
            if label:
                indicators.append(
                    {"label": label, "value": format(value.normalize(), "f"), "unit": unit, "year": year}
                )
        cleaned["indicators"] = indicators
        return cleaned
