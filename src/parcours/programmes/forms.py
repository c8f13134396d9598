from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.core.i18n import tr
from parcours.organisations.forms import region_choices
from parcours.referential.models import CoreSubject
from parcours.referential.selectors import current_version

from .models import Programme, ProgrammeInvitation, Session, SharedPractice, Step
from .services import PRACTICE_FIELDS, PROGRAMME_FIELDS, SESSION_FIELDS, STEP_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def core_subject_choices() -> list[tuple[str, str]]:
    return [
        (cs.key, f"{cs.clause} {tr(cs.title)}")
        for cs in CoreSubject.objects.filter(version=current_version()).order_by("clause")
    ]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "region": forms.Select,
        }
        help_texts = {
            "operators": _("Who runs the programme: a chamber, a standards body, a consulting firm…"),
            "funder": _("Who pays for it: a region, the State, a federation…"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = region_choices()
        self.fields["name"].widget.attrs["autofocus"] = True


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = list(STEP_FIELDS)
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class SessionForm(forms.ModelForm):
    core_subjects = forms.MultipleChoiceField(
        label=_("Core subjects covered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who attend a training count as trained on these core subjects."),
    )

    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["core_subjects"].choices = core_subject_choices()  # type: ignore[attr-defined]
        self.fields["duration_minutes"].widget.attrs.update({"min": 15, "max": 1440})

    def clean_duration_minutes(self) -> int:
        value = self.cleaned_data["duration_minutes"]
        if not 15 <= value <= 1440:
            raise forms.ValidationError(_("A session lasts between 15 minutes and one day (1,440 minutes)."))
        return int(value)

    def clean_materials(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]
        url = forms.URLField()
        for line in lines:
            try:
                url.clean(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a web address: give one link per line.") % {"line": line[:80]}
                ) from None
        return "\n".join(lines)


class InvitationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Invite as"), choices=ProgrammeInvitation.KINDS)
    email = forms.EmailField(label=_("E-mail address"))
    company_name = forms.CharField(
        label=_("Company name"),
        required=False,
        max_length=200,
        help_text=_("For a company: helps you recognise the invitation; the company confirms its own name."),
    )


class PracticeForm(forms.ModelForm):
    class Meta:
        model = SharedPractice
        fields = list(PRACTICE_FIELDS)
        widgets = {
            "what_was_done": forms.Textarea(attrs={"rows": 4}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "result": _("What changed: figures if you have them (kWh saved, waste avoided, hires…)."),
            "contact": _("Who others may contact to learn more (name, e-mail or phone)."),
        }
