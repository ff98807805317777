"""A text-message backend for load tests: each message lands in a file named after the phone, where the load
generator's simulated phone reads its verification code (MINSHENG_SMS_BACKEND=bench.sms.FileBackend)."""

import os
from pathlib import Path


class FileBackend:
    def send(self, phone: str, text: str) -> None:
        folder = Path(os.environ["BENCH_SMS_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{phone}.part"
        partial.write_text(text, encoding="utf-8")
        partial.replace(folder / phone)  # whole or absent, never half-written, for the reader
