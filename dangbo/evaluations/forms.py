"""Input of the yearly review: a member's scores as the cell enters them. The rules are the action's."""

from django import forms
from django.utils.text import capfirst

from dangbo.evaluations.models import MemberEvaluation


def _label(name):
    return capfirst(MemberEvaluation._meta.get_field(name).verbose_name)


class ScoreForm(forms.Form):
    general_points = forms.IntegerField(label=_label("general_points"), required=False)
    task_points = forms.IntegerField(label=_label("task_points"), required=False)
    tasks_assigned = forms.IntegerField(label=_label("tasks_assigned"))
    tasks_on_time = forms.IntegerField(label=_label("tasks_on_time"))
    tasks_exceeding = forms.IntegerField(label=_label("tasks_exceeding"))
    shortcomings_fixed = forms.BooleanField(label=_label("shortcomings_fixed"), required=False)
    disciplined = forms.BooleanField(label=_label("disciplined"), required=False)
    self_corrected = forms.BooleanField(label=_label("self_corrected"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("general_points", "task_points", "tasks_assigned", "tasks_on_time", "tasks_exceeding"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "narrow"})
