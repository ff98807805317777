"""`minsheng doctor`: check a deployment; exit 1 when something is broken (0 with warnings, unless --strict)."""

import json

from django.core.management.base import BaseCommand

from minsheng.ops.doctor import FAIL, OK, SKIP, WARN, run_checks

LABELS = {OK: "[ 正常 ]", WARN: "[ 注意 ]", FAIL: "[ 故障 ]", SKIP: "[ 跳过 ]"}


class Command(BaseCommand):
    help = "检查部署：数据库、迁移、消息队列、后台进程、密钥、主机名、静态文件、磁盘"

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="有“注意”项也以失败退出")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（供监控采集）")

    def handle(self, *args, strict, json: bool, **options):
        results = run_checks()
        failed = [r for r in results if r.status == FAIL]
        warned = [r for r in results if r.status == WARN]
        if json:
            self.stdout.write(_dumps([r.__dict__ for r in results]))
        else:
            styles = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR, SKIP: str}
            width = max(len(r.name) for r in results)
            for r in results:
                name = r.name + "　" * (width - len(r.name))
                self.stdout.write(f"{styles[r.status](LABELS[r.status])} {name}  {r.message}")
            summary = f"{len(failed)} 项故障，{len(warned)} 项注意，共 {len(results)} 项"
            self.stdout.write(self.style.ERROR(summary) if failed else self.style.SUCCESS(summary))
        if failed or (strict and warned):
            raise SystemExit(1)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
