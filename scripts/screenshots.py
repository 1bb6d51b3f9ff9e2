"""Take the README's screenshots: `.venv/bin/python scripts/screenshots.py [--out DIR] [--port N]`.

Builds a throw-away SQLite database in a temporary folder (official units, a few villages,
one official with two roles), serves it with the embedded server (`danvan serve`) and
photographs the pages with Debian's Chromium through Playwright:

    home.png            home page, desktop (1280 px)
    home-phone.png      home page, phone (360 px)
    province.png        Thành phố Hà Nội with its communes, desktop
    province-filter.png the same page filtered with "ba" as you type, phone
    commune.png         Phường Ba Đình with its villages and organisations, desktop
    workspace.png       the official's workspace after logging in, desktop

Nothing in the developer's own database (var/) is touched.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--font-render-hinting=none"]
USERNAME = "lan.tran"
PASSWORD = "anh-chup-man-hinh-2025"  # noqa: S105 (a throw-away database)


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise SystemExit("Không tìm được cổng trống.")


def prepare_database() -> None:
    """Migrate, import the official units and add the sample villages and official."""
    import django

    django.setup()
    from django.core.management import call_command

    from danvan.accounts.models import Role
    from danvan.accounts.services import official_create, role_grant
    from danvan.units.models import Era, Level, Unit
    from danvan.units.services import village_create

    call_command("migrate", interactive=False, verbosity=0)
    call_command("units", "import", verbosity=0)
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    giang_vo = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00025")
    for i in range(1, 13):
        village_create(actor=None, commune=ba_dinh, name=f"Tổ dân phố số {i}")
    for i in range(1, 9):
        village_create(actor=None, commune=giang_vo, name=f"Tổ dân phố số {i}")
    user = official_create(actor=None, username=USERNAME, password=PASSWORD, full_name="Trần Thị Lan")
    role_grant(actor=None, user=user, role=Role.LEADER, unit=ba_dinh,
               organisation=ba_dinh.organisations.get(kind="ubnd", active=True),
               title="Phó Chủ tịch Ủy ban nhân dân phường")
    role_grant(actor=None, user=user, role=Role.SUPERVISOR, unit=giang_vo,
               organisation=giang_vo.organisations.get(kind="mttq", active=True),
               title="Ủy viên Ban Thường trực")


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("Máy chủ web dừng ngay khi khởi động.")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Máy chủ web không trả lời tại {url}.")


def photograph(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    taken: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desktop = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        phone = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                    is_mobile=True, has_touch=True, locale="vi-VN")

        def shot(page, name: str, *, full_page: bool = True) -> None:  # type: ignore[no-untyped-def]
            path = out / name
            page.screenshot(path=str(path), full_page=full_page)
            taken.append(path)

        page = desktop.new_page()
        page.goto(base + "/")
        shot(page, "home.png")
        page.goto(base + "/dia-phuong/01/")
        shot(page, "province.png")
        page.goto(base + "/dia-phuong/00004/")
        shot(page, "commune.png")
        page.goto(base + "/tai-khoan/dang-nhap/?next=/lam-viec/")
        page.get_by_label("Tên đăng nhập").fill(USERNAME)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        shot(page, "workspace.png")

        page = phone.new_page()
        page.goto(base + "/")
        shot(page, "home-phone.png", full_page=False)
        page.goto(base + "/dia-phuong/01/")
        page.get_by_label("Lọc xã, phường, đặc khu của Thành phố Hà Nội").press_sequentially("ba", delay=40)
        expect(page).to_have_url(base + "/dia-phuong/01/?q=ba")
        page.wait_for_timeout(300)  # let the fade of the previous results finish
        shot(page, "province-filter.png", full_page=False)
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description="Chụp ảnh màn hình cho README.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Cần Chromium tại {CHROMIUM} (gói Debian 'chromium').")
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="danvan-screenshots-") as data_dir:
        # Only the temporary SQLite database: never a configured PostgreSQL or Redis.
        dropped = {"DATABASE_URL", "REDIS_URL", "DANVAN_SQLITE_PATH"}
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update({"DANVAN_DATA_DIR": data_dir, "DANVAN_DEBUG": "0",
                    "DJANGO_SETTINGS_MODULE": "danvan.config.settings"})
        os.environ.clear()
        os.environ.update(env)
        print("Đang tạo cơ sở dữ liệu tạm và nạp đơn vị hành chính…")
        prepare_database()

        port = free_port(args.port)
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [sys.executable, "-m", "danvan.cli", "serve", "--port", str(port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(base, server)
            taken = photograph(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in taken:
        print(f"✓ {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
