"""The registry's part in changes of the organization tree."""

from django.dispatch import receiver

from dangbo.members.models import Member
from dangbo.organizations.actions import cell_merging


@receiver(cell_merging)
def move_members_of_merged_cell(sender, source, target, on, by, **kwargs):
    """When cells merge, every member record of the closing cell moves, with history."""
    for member in Member.objects.filter(organization=source).select_for_update():
        member.organization = target
        member._history_user = by
        member._change_reason = f"Sáp nhập {source.name} vào {target.name} từ {on:%d/%m/%Y}"
        member.save(update_fields=["organization"])
