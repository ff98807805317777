"""`minsheng ingest`: run the MQTT consumer until stopped (SIGINT/SIGTERM flush the batch in hand first)."""

import signal

from django.core.management.base import BaseCommand

from minsheng.iot.mqtt import Consumer, Options


class Command(BaseCommand):
    help = "接收大棚传感器数据（MQTT）"

    def add_arguments(self, parser):
        parser.add_argument("--host")
        parser.add_argument("--port", type=int)
        parser.add_argument("--client-id")
        parser.add_argument(
            "--topic",
            action="append",
            help="订阅的主题过滤器，可重复（如每个片区一个：--topic minsheng/片区代码/+/+/+）",
        )
        parser.add_argument("--batch-size", type=int)
        parser.add_argument("--batch-seconds", type=float)

    def handle(self, *args, **opts):
        options = Options.from_settings(
            host=opts["host"],
            port=opts["port"],
            client_id=opts["client_id"],
            topic=tuple(opts["topic"]) if opts["topic"] else None,
            batch_size=opts["batch_size"],
            batch_seconds=opts["batch_seconds"],
        )
        consumer = Consumer(options)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: consumer.stop())
        self.stdout.write(
            f"ingest: {options.host}:{options.port} {' '.join(options.topics)} as {options.client_id}"
        )
        stats = consumer.run()
        self.stdout.write(
            f"ingest: {consumer.messages} messages, {stats.stored} stored, "
            f"{stats.duplicates} duplicates, {stats.rejected} rejected"
        )
