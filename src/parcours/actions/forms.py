from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parcours.core.i18n import tr
from parcours.organisations.models import Organisation
from parcours.referential.models import Domain
from parcours.referential.selectors import current_version

from .models import Action


def domain_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    version = current_version()
    groups: dict[str, list[tuple[int, str]]] = {}
    labels: dict[str, str] = {}
    for d in Domain.objects.filter(version=version).select_related("core_subject"):
        cs = d.core_subject
        labels[cs.key] = f"{cs.clause} {tr(cs.title)}"
        groups.setdefault(cs.key, []).append((d.pk, f"{d.clause} {tr(d.title)}"))
    return [(labels[k], v) for k, v in groups.items()]


class ActionForm(forms.ModelForm):
    domains = forms.TypedMultipleChoiceField(
        label=_("Domains"), coerce=int, help_text=_("Hold Ctrl (or ⌘) to choose several.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "domains",
            "owner",
            "start_date",
            "due_date",
            "status",
            "budget",
            "expected_effect",
            "indicator",
            "indicator_unit",
            "baseline",
            "target",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "expected_effect": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(
            memberships__organisation=organisation
        ) | get_user_model().objects.filter(consultant_assignments__organisation=organisation)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = people.distinct().order_by("email")
        domains = self.fields["domains"]
        assert isinstance(domains, forms.TypedMultipleChoiceField)
        domains.choices = domain_choices()
        domains.widget.attrs["size"] = "10"
        if self.instance.pk and not self.is_bound:
            self.initial["domains"] = [d.pk for d in self.instance.domains.all()]
            self.initial["version"] = self.instance.version
        for name in ("budget", "baseline", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.DecimalField)
            field.min_value = None
            field.widget.attrs["step"] = "any"
        budget = self.fields["budget"]
        budget.validators.append(_non_negative)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date cannot be before the start date."))
        return data

    def selected_domains(self) -> list[Domain]:
        return list(Domain.objects.filter(pk__in=self.cleaned_data.get("domains") or []))

    def _save_m2m(self) -> None:  # the service saves domains
        pass


def _non_negative(value: Any) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("A budget cannot be negative."))


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    indicator_value = forms.DecimalField(
        label=_("Indicator value"), required=False, max_digits=14, decimal_places=2
    )
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    version = forms.IntegerField()


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Action.Status.choices]
    )
    core_subject = forms.ChoiceField(label=_("Core subject"), required=False)
    owner = forms.TypedChoiceField(
        label=pgettext_lazy("person responsible for an action", "Owner"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        version = current_version()
        cs_field = self.fields["core_subject"]
        assert isinstance(cs_field, forms.ChoiceField)
        cs_field.choices = [("", _("All"))] + [
            (cs.key, f"{cs.clause} {cs.short_label}")
            for cs in (version.core_subjects.all() if version else [])
        ]
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.TypedChoiceField)
        owner_field.choices = [("", _("Anyone"))] + [
            (u.pk, u.display_name)
            for u in get_user_model().objects.filter(memberships__organisation=organisation).order_by("email")
        ]

    def filters(self) -> dict[str, Any]:
        return self.cleaned_data if self.is_valid() else {}
