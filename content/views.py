"""The storefront's page view (/pages/<slug>/): 关于我们, 配送说明 and the other pages operators write."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.richtext import editorjs_to_html
from content import selectors
from storefront.listing import Link
from storefront.views import not_found


@require_safe
def page(request, slug: str):
    page = selectors.page_by_slug(slug, user=request.user)
    if page is None:
        return not_found(request, _("This page does not exist."))
    context = {
        "page": page,
        # Text is escaped block by block; markup inside the JSON never reaches the browser as markup.
        "content_html": editorjs_to_html(page.content),
        "is_preview": not page.is_visible(),
        "crumbs": [Link(_("Home"), reverse("storefront:home")), Link(page.title, "", is_current=True)],
    }
    return render(request, "storefront/page.html", context)
