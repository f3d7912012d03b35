"""python manage.py search_reindex: rebuild the whole search index, the popularity and the suggestions."""

import sys
import time

from django.core.management.base import BaseCommand

from search import popularity, service, suggestions


class Command(BaseCommand):
    help = "重建搜索索引（全部商品）、商品热度和搜索联想词。"

    def add_arguments(self, parser):
        parser.add_argument("--no-popularity", action="store_true", help="不重新计算商品热度")
        parser.add_argument("--no-suggestions", action="store_true", help="不重建联想词")

    def handle(self, *args, no_popularity=False, no_suggestions=False, verbosity=1, **options):
        self.verbosity = verbosity
        self.tty = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        if not no_popularity:
            changed = popularity.refresh_popularity()
            self.say(f"商品热度：更新 {changed} 个商品")
        self.started = time.perf_counter()
        self.last_line = 0.0
        backend = service.get_backend()
        total = backend.reindex(self.progress)
        seconds = time.perf_counter() - self.started
        rate = total / seconds if seconds else 0
        if self.tty:
            self.stdout.write("")
        self.say(f"搜索索引（{backend.name}）：{total} 个商品，用时 {seconds:.1f} 秒，{rate:.0f} 个/秒")
        if not no_suggestions:
            started = time.perf_counter()
            terms = suggestions.rebuild()
            self.say(f"联想词：{terms} 条，用时 {time.perf_counter() - started:.1f} 秒")

    def say(self, message):
        if self.verbosity:
            self.stdout.write(message)

    def progress(self, done, total):
        if not self.verbosity:
            return
        now = time.perf_counter()
        seconds = now - self.started
        rate = done / seconds if seconds else 0
        percent = done * 100 // total if total else 100
        width = 30
        filled = width * done // total if total else width
        line = f"[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {done}/{total} {rate:.0f}/s"
        if self.tty:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
        elif done == total or now - self.last_line >= 5:
            # Not a terminal (a log, a pipe): a plain line now and then.
            self.stdout.write(line)
        self.last_line = now
        sys.stdout.flush()
