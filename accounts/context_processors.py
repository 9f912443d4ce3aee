from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.clinic import clinic_profile as _clinic_profile


def clinic_profile(request):
    """The clinic's name and details for every page, read only if the page uses them (the
    error pages render without a working database)."""
    profile = SimpleLazyObject(_clinic_profile)
    return {
        "clinic": profile,
        "clinic_name": SimpleLazyObject(lambda: profile.name),
        "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
