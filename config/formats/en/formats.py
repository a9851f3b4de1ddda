"""English pages keep the Vietnamese date forms (dd/mm/yyyy): the documents they mirror use them."""

from config.formats.vi.formats import *  # noqa: F401,F403
