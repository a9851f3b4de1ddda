"""Glue between forms and actions: an action's ValidationError lands on the form."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def run_action(form, action, *args, **kwargs):
    """Call ``action``; on ValidationError put its messages on ``form`` and return None.

    Messages for a field the form does not have go to the form's top, so none is lost.
    """
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field if field in form.fields else NON_FIELD_ERRORS
                for e in errors:
                    form.add_error(None if target == NON_FIELD_ERRORS else target, e)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return None


def year_param(request, name="year"):
    """The year asked for in the query string (this year by default); 404 for nonsense."""
    from django.http import Http404
    from django.utils import timezone
    from django.utils.translation import gettext as _

    try:
        year = int(request.GET.get(name) or timezone.localdate().year)
    except ValueError:
        raise Http404(_("Năm không hợp lệ.")) from None
    if not 2000 <= year <= 2100:
        raise Http404(_("Năm không hợp lệ."))
    return year
