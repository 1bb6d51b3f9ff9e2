"""Demo data: an Open311 API key, derived from the run's seed so `make setup` prints the same one."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

from danvan.demo.registry import DemoContext, register

from .models import ApiKey
from .services import KEY_PREFIX, api_key_create, key_digest

DEMO_KEY_NAME = "Ứng dụng Open311 trình diễn"


def demo_key(seed: int) -> str:
    """The demo key for a seed: public by design (it is printed), so it is only for demos."""
    return KEY_PREFIX + "demo_" + hashlib.sha256(f"danvan-open311-demo:{seed}".encode()).hexdigest()[:24]


@register("open311.api_key", order=40, labels={"api_keys": _("khóa API Open311")})
def api_key(ctx: DemoContext) -> dict[str, int]:
    key = demo_key(ctx.seed)
    created = 0
    if not ApiKey.objects.filter(digest=key_digest(key)).exists():
        api_key_create(name=DEMO_KEY_NAME, key=key, actor=ctx.actor)
        created = 1
    # Printed with the demo accounts, so a tester can POST to /open311/v2/requests.json at once.
    ctx.credentials.append((key, str(_("(api_key cho POST /open311/v2/requests.json)")),
                            str(_("Khóa API Open311")), DEMO_KEY_NAME))
    return {"api_keys": created}
