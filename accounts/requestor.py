"""The requestor: who an API request acts for — a user, or (from a later issue) an app."""


def requestor(request):
    """The app when an app's token authenticated the request, else the user (maybe anonymous)."""
    app = getattr(request, "app", None)
    return app if app is not None else request.user
