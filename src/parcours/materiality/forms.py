from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.core.i18n import tr
from parcours.referential.selectors import current_version, referential_tree

from .models import Stakeholder

RATING_CHOICES = [("", "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4")]


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "group",
            "name",
            "examples",
            "expectations",
            "influence",
            "dependence",
            "engagement",
            "frequency",
        ]
        widgets = {
            "expectations": forms.Textarea(attrs={"rows": 2}),
            "influence": forms.Select(choices=RATING_CHOICES[1:]),
            "dependence": forms.Select(choices=RATING_CHOICES[1:]),
        }


class MaterialityForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label=_("Relevant"), choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(label=_("Why it is not relevant"), required=False, max_length=2000)
    significance = forms.TypedChoiceField(
        label=_("Significance"), choices=RATING_CHOICES, coerce=int, required=False, empty_value=None
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=RATING_CHOICES, coerce=int, required=False, empty_value=None
    )
    raised_by = forms.ModelMultipleChoiceField(
        label=_("Raised by"), queryset=Stakeholder.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raised = self.fields["raised_by"]
        assert isinstance(raised, forms.ModelMultipleChoiceField)
        raised.queryset = Stakeholder.objects.filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("relevant") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this domain is not relevant to your organisation."))
        return data


def domain_key_choices() -> list[tuple[str, str]]:
    version = current_version()
    if version is None:
        return []
    return [
        (k, f"{n.domain.clause} {tr(n.domain.title)}") for k, n in referential_tree(version).domains.items()
    ]


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, initial=_("What matters to you in our CSR approach?")
    )
    group = forms.ChoiceField(
        label=_("Stakeholder group asked"), choices=[("", "—"), *Stakeholder.Group.choices], required=False
    )
    domain_keys = forms.MultipleChoiceField(label=_("Domains to rate"), widget=forms.CheckboxSelectMultiple)
    days_open = forms.IntegerField(label=_("Open for (days)"), min_value=1, max_value=180, initial=30)
    max_responses = forms.IntegerField(
        label=_("Maximum number of answers"), min_value=1, max_value=1000, initial=50
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = self.fields["domain_keys"]
        assert isinstance(keys, forms.MultipleChoiceField)
        keys.choices = domain_key_choices()
        if not self.is_bound:
            self.initial.setdefault("domain_keys", [k for k, _label in keys.choices])

    def expires_at(self) -> Any:
        return timezone.now() + timedelta(days=self.cleaned_data["days_open"])
