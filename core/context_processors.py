from django.conf import settings

from core.roles import user_is_manager


def clinic(request):
    return {
        "clinic_name": settings.CLINIC_NAME,
        "is_manager": user_is_manager(request.user) if hasattr(request, "user") else False,
    }
