from django.core.management.base import BaseCommand, CommandParser

from demo.builder import DEMO_LOGINS, DEMO_PASSWORD, DemoBuilder
from demo.client_keys import DEMO_HOTLINE_KEY, DEMO_HOTLINE_NAME
from demo.two_factor import DEMO_TWO_FACTOR


class Command(BaseCommand):
    help = "Load the fictional demo city (deterministic; a second run adds nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="buildings per grid = 5 × scale (default 1)")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, scale: int, no_progress: bool, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more")
            raise SystemExit(2)
        DemoBuilder(scale=scale, progress=not no_progress).build()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        self.stdout.write(f"演示账号 demo log-ins (password / 密码: {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {description}")
        self.stdout.write(
            "两步验证 two-factor sign-in: add the secret to an authenticator app (time-based, 6 digits),"
            " or type one recovery code (each works once) / 在验证器应用中添加密钥,或输入一个恢复码(每个只能用一次):"
        )
        for username, (secret, codes) in DEMO_TWO_FACTOR.items():
            self.stdout.write(f"  {username:<10} secret/密钥 {secret}  recovery codes/恢复码 {' '.join(codes)}")
        self.stdout.write(
            f"接入密钥 client key of {DEMO_HOTLINE_NAME} (金川区, district level), for /api/v1/ as"
            " `Authorization: Bearer <key>`:"
        )
        self.stdout.write(f"  {DEMO_HOTLINE_KEY}")
