"""Template helpers of the register: who may report on a task, the overdue-task panel."""

from django import template

from dangbo.documents import selectors

register = template.Library()

OVERDUE_PANEL_LIMIT = 10


@register.filter
def reportable_by(task, user):
    return selectors.can_report(user, task)


@register.simple_tag(takes_context=True)
def overdue_tasks(context):
    """The overdue tasks the page's user follows: {"tasks": first few, "count": all}."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"tasks": [], "count": 0}
    tasks = selectors.overdue_tasks_for(user)
    shown = list(tasks[:OVERDUE_PANEL_LIMIT])
    count = len(shown) if len(shown) < OVERDUE_PANEL_LIMIT else tasks.count()
    return {"tasks": shown, "count": count}
